package dev.handshake.audit.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditExport;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.cert.CertificateVerification.Failure;
import dev.handshake.audit.cert.CertificateVerification.Invalid;
import dev.handshake.audit.cert.CertificateVerification.Valid;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.zip.BoundedZip;
import dev.handshake.zip.DeterministicZip;
import dev.handshake.zip.ZipLimits;
import dev.handshake.zip.ZipMember;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §3 item 10 and §4 item 10: our certificates, bundles and their verification. */
class CertificationTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final ZipLimits READ = new ZipLimits(1 << 26, 8, 1 << 25, 1 << 26);

  private final Ed25519PrivateKey agent = key(1);
  private final Ed25519PrivateKey ca = key(2);

  private static Ed25519PrivateKey key(int fill) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) fill);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  private static SecureRandom seeded() {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(42);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Our export of {@code events} events stamped by {@code key}, with its signed head. */
  private static byte[] export(Ed25519PrivateKey key, int events) {
    AgentChain chain =
        AgentChain.open(
            key, new InMemoryAuditStore(), Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC));
    for (int i = 0; i < events; i++) {
      ObjectNode payload = Json.object();
      payload.put("event_type", "order");
      payload.put("amount", 100 * (i + 1));
      chain.append(payload);
    }
    return AuditExport.of(
            chain.identity(NOW.minusSeconds(3600).getEpochSecond(), Optional.empty()),
            chain.events(),
            NOW.minusSeconds(60).getEpochSecond(),
            Optional.of(chain.signHead()))
        .toBytes();
  }

  private AuditCertifier certifier() {
    return AuditCertifier.create(ca, CLOCK, new SecureRandom());
  }

  private static byte[] resource(String path) {
    try (InputStream in = CertificationTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The bundle with member {@code name} replaced by {@code bytes} (or removed when null). */
  private static byte[] replace(byte[] bundle, String name, byte[] bytes) throws Exception {
    List<ZipMember> members = new ArrayList<>();
    for (ZipMember m : BoundedZip.read(bundle, READ)) {
      members.add(m.name().equals(name) ? new ZipMember(name, bytes) : m);
    }
    return DeterministicZip.write(members);
  }

  private static byte[] member(byte[] bundle, String name) throws Exception {
    return BoundedZip.read(bundle, READ).stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow()
        .bytes();
  }

  private static Invalid invalid(CertificateVerification result) {
    assertThat(result).as("expected an invalid bundle").isInstanceOf(Invalid.class);
    return (Invalid) result;
  }

  @Test
  void item10_theBundleHoldsTheCertificateTheExactAuditBytesAndTheCaIdentity() throws Exception {
    byte[] audit = export(agent, 3);
    CertifiedBundle bundle = certifier().certify(audit);
    byte[] zip = bundle.toZip();

    assertThat(BoundedZip.read(zip, READ))
        .extracting(ZipMember::name)
        .containsExactly("certificate.json", "audit.json", "ca-identity.json");
    assertThat(member(zip, "audit.json")).isEqualTo(audit);
    AuditCertificate c = bundle.certificate();
    AuditExport parsed = AuditExport.parse(audit);
    assertThat(c.auditHash()).isEqualTo("sha256:" + Sha256.hex(audit));
    assertThat(c.agentId()).isEqualTo(AgentIds.aiss(agent.publicKey()));
    assertThat(c.agentPublicKey()).isEqualTo(agent.publicKey());
    assertThat(c.eventCount()).isEqualTo(3);
    assertThat(c.chainHeadHash()).isEqualTo(parsed.events().getLast().hash());
    assertThat(c.chainIntegrityHash()).isEqualTo(parsed.chainIntegrityHash());
    assertThat(c.issuedAt()).isEqualTo(NOW.getEpochSecond());
    assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(365)).getEpochSecond());
    assertThat(c.issuerId()).isEqualTo(AgentIds.aiss(ca.publicKey()));
    assertThat(c.certId()).matches("CERT-20260601-[0-9A-F]{16}");
    String caKey =
        CanonicalJson.parse(member(zip, "ca-identity.json")).path("public_key").stringValue();
    assertThat(caKey).isEqualTo(ca.publicKey().base64());
  }

  @Test
  void item10_theCertificateIsSignedOverItsRfc8785FormWithoutTheSignature() throws Exception {
    CertifiedBundle bundle = certifier().certify(export(agent, 2));
    ObjectNode json = (ObjectNode) CanonicalJson.parse(member(bundle.toZip(), "certificate.json"));
    assertThat(json.path("type").stringValue()).isEqualTo(AuditCertificate.TYPE);
    assertThat(AuditCertificate.signedBy(json, ca.publicKey())).isTrue();
    assertThat(AuditCertificate.signedBy(json, agent.publicKey())).isFalse();
    assertThat(AuditCertificate.parse(json)).isEqualTo(bundle.certificate());
  }

  @Test
  void item10_aBundleFromTheTrustedCaVerifies() throws Exception {
    byte[] zip = certifier().certify(export(agent, 3)).toZip();
    CertificateVerification result = CertificateVerifier.trusting(ca.publicKey()).verify(zip, NOW);
    assertThat(result).isInstanceOf(Valid.class);
    Valid valid = (Valid) result;
    assertThat(valid.report().valid()).isTrue();
    assertThat(valid.audit().events()).hasSize(3);
  }

  @Test
  void item10_theReferenceVectorChainIsCertifiedAndVerifies() throws Exception {
    byte[] chain = resource("/vectors/aiss/chain.json");
    byte[] zip = certifier().certify(chain).toZip();
    assertThat(member(zip, "audit.json")).isEqualTo(chain);
    assertThat(CertificateVerifier.trusting(ca.publicKey()).verify(zip, NOW).valid()).isTrue();
  }

  @Test
  void item10_theSameCertificateAndAuditAlwaysGiveTheSameBundleBytes() throws Exception {
    byte[] audit = export(agent, 2);
    byte[] first = AuditCertifier.create(ca, CLOCK, seeded()).certify(audit).toZip();
    byte[] second = AuditCertifier.create(ca, CLOCK, seeded()).certify(audit).toZip();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void item10_refusesToCertifyWithTheAgentsOwnKey() throws Exception {
    byte[] audit = export(ca, 2);
    assertThatThrownBy(() -> certifier().certify(audit))
        .isInstanceOfSatisfying(
            CertificationException.class,
            e -> assertThat(e.reason()).isEqualTo(CertificationException.Reason.CA_IS_AGENT))
        .hasMessageContaining("its own key");
  }

  @Test
  void item10_refusesToCertifyAChainThatDoesNotVerify() throws Exception {
    String text = new String(export(agent, 3), StandardCharsets.UTF_8);
    byte[] edited =
        text.replace("\"amount\": 200", "\"amount\": 900").getBytes(StandardCharsets.UTF_8);
    assertThat(edited).isNotEqualTo(text.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> certifier().certify(edited))
        .isInstanceOfSatisfying(
            CertificationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(CertificationException.Reason.CHAIN_INVALID);
              assertThat(e.report()).isPresent();
            });
  }

  @Test
  void refusesToCertifyAnEmptyChainOrSomethingThatIsNotAnExport() throws Exception {
    assertThatThrownBy(() -> certifier().certify(export(agent, 0)))
        .isInstanceOfSatisfying(
            CertificationException.class,
            e -> assertThat(e.reason()).isEqualTo(CertificationException.Reason.EMPTY_CHAIN));
    assertThatThrownBy(() -> certifier().certify("{}".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(
            CertificationException.class,
            e -> assertThat(e.reason()).isEqualTo(CertificationException.Reason.UNREADABLE_AUDIT));
  }

  @Test
  void item10_aBundleFromAnotherCaIsRefusedNamingBothCas() throws Exception {
    Ed25519PrivateKey otherCa = key(3);
    byte[] zip =
        AuditCertifier.create(otherCa, CLOCK, new SecureRandom()).certify(export(agent, 2)).toZip();
    Invalid result = invalid(CertificateVerifier.trusting(ca.publicKey()).verify(zip, NOW));
    assertThat(result.failure()).isEqualTo(Failure.UNTRUSTED_ISSUER);
    assertThat(result.detail())
        .contains(AgentIds.aiss(otherCa.publicKey()))
        .contains(AgentIds.aiss(ca.publicKey()));
    assertThat(result.certificate()).as("nothing unsigned is handed out").isEmpty();
  }

  @Test
  void item10_anEditedCertificateFailsItsSignature() throws Exception {
    byte[] zip = certifier().certify(export(agent, 3)).toZip();
    ObjectNode cert = (ObjectNode) CanonicalJson.parse(member(zip, "certificate.json"));
    cert.put("event_count", 2);
    byte[] edited =
        replace(zip, "certificate.json", Json.pretty(cert).getBytes(StandardCharsets.UTF_8));
    Invalid result = invalid(CertificateVerifier.trusting(ca.publicKey()).verify(edited, NOW));
    assertThat(result.failure()).isEqualTo(Failure.BAD_SIGNATURE);
  }

  @Test
  void item10_anAuditSwappedForAnotherExportOfTheSameAgentFailsTheAuditHash() throws Exception {
    Ed25519PrivateKey sameAgent = agent;
    byte[] zip = certifier().certify(export(sameAgent, 2)).toZip();
    byte[] swapped = replace(zip, "audit.json", export(sameAgent, 3));
    Invalid result = invalid(CertificateVerifier.trusting(ca.publicKey()).verify(swapped, NOW));
    assertThat(result.failure()).isEqualTo(Failure.AUDIT_HASH_MISMATCH);
  }

  @Test
  void item10_aCertificateHoldsFromIssuedAtUntilJustBeforeExpiresAt() throws Exception {
    byte[] zip = certifier().withValidity(Duration.ofDays(30)).certify(export(agent, 1)).toZip();
    CertificateVerifier verifier = CertificateVerifier.trusting(ca.publicKey());
    Instant expiry = NOW.plus(Duration.ofDays(30));

    assertThat(verifier.verify(zip, NOW).valid()).isTrue();
    assertThat(verifier.verify(zip, expiry.minusSeconds(1)).valid()).isTrue();
    Invalid expired = invalid(verifier.verify(zip, expiry));
    assertThat(expired.failure()).isEqualTo(Failure.EXPIRED);
    assertThat(expired.certificate()).as("signed, so it is reported").isPresent();
    assertThat(invalid(verifier.verify(zip, NOW.minusSeconds(1))).failure())
        .isEqualTo(Failure.NOT_YET_VALID);
  }

  @Test
  void aBundleWithAnExtraMemberOrNoZipAtAllIsMalformed() throws Exception {
    byte[] zip = certifier().certify(export(agent, 1)).toZip();
    List<ZipMember> members = new ArrayList<>(BoundedZip.read(zip, READ));
    members.add(new ZipMember("badge.svg", new byte[] {'<'}));
    CertificateVerifier verifier = CertificateVerifier.trusting(ca.publicKey());
    assertThat(invalid(verifier.verify(DeterministicZip.write(members), NOW)).failure())
        .isEqualTo(Failure.MALFORMED_BUNDLE);
    assertThat(invalid(verifier.verify(export(agent, 1), NOW)).failure())
        .isEqualTo(Failure.MALFORMED_BUNDLE);
  }

  @Test
  void aCaSignedCertificateThatMisstatesTheExportIsRefused() throws Exception {
    byte[] audit = export(agent, 2);
    AuditExport parsed = AuditExport.parse(audit);
    AuditCertificate wrongCount =
        AuditCertificate.sign(
            ca,
            "CERT-20260601-0000000000000001",
            "sha256:" + Sha256.hex(audit),
            agent.publicKey(),
            5,
            parsed.events().getLast().hash(),
            parsed.chainIntegrityHash(),
            NOW.getEpochSecond(),
            NOW.getEpochSecond() + 100);
    byte[] zip = new CertifiedBundle(wrongCount, audit, caIdentity()).toZip();
    Invalid result = invalid(CertificateVerifier.trusting(ca.publicKey()).verify(zip, NOW));
    assertThat(result.failure()).isEqualTo(Failure.CERTIFICATE_MISMATCH);
    assertThat(result.detail()).contains("2 events").contains("5");
  }

  @Test
  void item10_theChainItselfIsVerifiedEvenWhenTheCaSignedTheHash() throws Exception {
    String text = new String(export(agent, 3), StandardCharsets.UTF_8);
    byte[] edited =
        text.replace("\"amount\": 200", "\"amount\": 900").getBytes(StandardCharsets.UTF_8);
    AuditExport parsed = AuditExport.parse(edited);
    AuditCertificate careless =
        AuditCertificate.sign(
            ca,
            "CERT-20260601-0000000000000002",
            "sha256:" + Sha256.hex(edited),
            agent.publicKey(),
            3,
            parsed.events().getLast().hash(),
            parsed.chainIntegrityHash(),
            NOW.getEpochSecond(),
            NOW.getEpochSecond() + 100);
    byte[] zip = new CertifiedBundle(careless, edited, caIdentity()).toZip();
    Invalid result = invalid(CertificateVerifier.trusting(ca.publicKey()).verify(zip, NOW));
    assertThat(result.failure()).isEqualTo(Failure.CHAIN_INVALID);
    assertThat(result.report()).hasValueSatisfying(r -> assertThat(r.signaturesValid()).isFalse());
  }

  private dev.handshake.identity.IdentityDocument caIdentity() {
    return dev.handshake.identity.IdentityDocument.of(
        ca.publicKey(), NOW.getEpochSecond(), Optional.empty());
  }
}
