package dev.handshake.audit.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.cert.ReferenceCertificateCheck.Artefact;
import dev.handshake.audit.cert.ReferenceCertificateCheck.AuditBinding;
import dev.handshake.audit.cert.ReferenceCertificateCheck.Signer;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.PythonJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * aiss.md §2.7 and §3 item 10: the reference's certification artefacts, produced by Python ({@code
 * vectors/aiss-cert/generate.py}: agent A's chain, the CA is agent B), read and judged.
 */
class ReferenceCertificatesTest {
  private static final String DIR = "/vectors/aiss-cert/";
  private static final byte[] CHAIN = bytes("/vectors/aiss/chain.json");
  private static final Ed25519PublicKey AGENT_A =
      seed("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final Ed25519PublicKey CA_B =
      seed("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

  private static Ed25519PublicKey seed(String hex) {
    return Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex(hex)).publicKey();
  }

  private static byte[] bytes(String path) {
    try (InputStream in = ReferenceCertificatesTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void item10_theInlineCertificationBlockVerifiesButIsSelfSigned() throws Exception {
    ReferenceCertificateCheck check =
        ReferenceCertificates.inlineCertification(bytes(DIR + "certified-inline.json"));
    assertThat(check.artefact()).isEqualTo(Artefact.INLINE_CERTIFICATION);
    assertThat(check.signatureValid()).isTrue();
    assertThat(check.bindingHolds()).isTrue();
    assertThat(check.binding()).isEqualTo(AuditBinding.CHAIN_INTEGRITY_HASH);
    assertThat(check.signer()).isEqualTo(Signer.AGENT_SELF_SIGNED);
    assertThat(check.independentlyCertified()).isFalse();
    assertThat(check.findings()).anyMatch(f -> f.startsWith("self-signed"));
  }

  @Test
  void item10_theCertSideFileHashesTheExactBytesButIsSelfSigned() throws Exception {
    ReferenceCertificateCheck check =
        ReferenceCertificates.certSideFile(CHAIN, bytes(DIR + "chain.json.cert"));
    assertThat(check.signatureValid()).isTrue();
    assertThat(check.binding()).isEqualTo(AuditBinding.EXACT_FILE_BYTES);
    assertThat(check.bindingHolds()).isTrue();
    assertThat(check.signer()).isEqualTo(Signer.AGENT_SELF_SIGNED);
    assertThat(check.independentlyCertified()).isFalse();
    assertThat(check.findings())
        .anyMatch(f -> f.startsWith("self-signed"))
        .anyMatch(f -> f.contains("read from the export it certifies"));
  }

  @Test
  void theCertSideFileNoLongerMatchesAnEditedExport() throws Exception {
    byte[] edited =
        new String(CHAIN, StandardCharsets.UTF_8)
            .replace("150.25", "150.26")
            .getBytes(StandardCharsets.UTF_8);
    ReferenceCertificateCheck check =
        ReferenceCertificates.certSideFile(edited, bytes(DIR + "chain.json.cert"));
    assertThat(check.bindingHolds()).isFalse();
    assertThat(check.signatureValid()).as("the signature is over the claimed hash").isTrue();
  }

  @Test
  void item10_theCaAttestationVerifiesButIsNotBoundToTheAudit() throws Exception {
    byte[] file = bytes(DIR + "external.piqrypt-certified");
    ReferenceCertificateCheck check = ReferenceCertificates.caAttestation(file, CA_B);
    assertThat(check.signatureValid()).isTrue();
    assertThat(check.signer()).isEqualTo(Signer.CA);
    assertThat(check.binding()).isEqualTo(AuditBinding.NONE);
    assertThat(check.independentlyCertified()).isFalse();
    assertThat(check.findings()).anyMatch(f -> f.startsWith("not bound to the audit"));
  }

  @Test
  void item10_theCaAttestationStillVerifiesAfterTheAuditIsReplaced() throws Exception {
    ObjectNode certified =
        (ObjectNode) CanonicalJson.parse(bytes(DIR + "external.piqrypt-certified"));
    ObjectNode audit = (ObjectNode) certified.path("audit");
    audit.putArray("events");
    audit.put("chain_integrity_hash", "0".repeat(64));
    byte[] forged = PythonJson.dumpsIndented(certified, 2).getBytes(StandardCharsets.UTF_8);

    ReferenceCertificateCheck check = ReferenceCertificates.caAttestation(forged, CA_B);
    assertThat(check.signatureValid()).as("what the reference's certify-verify checks").isTrue();
    assertThat(check.independentlyCertified()).isFalse();
  }

  @Test
  void theCaAttestationFailsWithAnotherCaKey() throws Exception {
    ReferenceCertificateCheck check =
        ReferenceCertificates.caAttestation(bytes(DIR + "external.piqrypt-certified"), AGENT_A);
    assertThat(check.signatureValid()).isFalse();
    assertThat(check.signer()).isEqualTo(Signer.AGENT_SELF_SIGNED);
  }

  @Test
  void item10_theTierCertificateIsCaSignedAndBoundThroughJsonDumps() throws Exception {
    ReferenceCertificateCheck check =
        ReferenceCertificates.tierCertificate(
            bytes(DIR + "tier-timestamp.piqrypt-certified"), CA_B);
    assertThat(check.artefact()).isEqualTo(Artefact.TIER_CERTIFICATE);
    assertThat(check.signatureValid()).as("signed before tsa was added").isTrue();
    assertThat(check.binding()).isEqualTo(AuditBinding.PYTHON_JSON_DUMPS);
    assertThat(check.bindingHolds()).isTrue();
    assertThat(check.signer()).isEqualTo(Signer.CA);
    assertThat(check.independentlyCertified()).isTrue();
    assertThat(check.findings())
        .anyMatch(f -> f.startsWith("tsa was added after signing"))
        .anyMatch(f -> f.startsWith("agent_id is \"unknown\""));
  }

  @Test
  void item10_aTierCertificateSignedWithTheAgentsKeyIsReportedAsSelfSigned() throws Exception {
    ReferenceCertificateCheck check =
        ReferenceCertificates.tierCertificate(
            bytes(DIR + "tier-simple-self.piqrypt-certified"), AGENT_A);
    assertThat(check.signatureValid()).isTrue();
    assertThat(check.signer()).isEqualTo(Signer.AGENT_SELF_SIGNED);
    assertThat(check.independentlyCertified()).isFalse();
  }

  @Test
  void somethingElseGivenAsAnArtefactIsUnreadable() {
    assertThatThrownBy(() -> ReferenceCertificates.inlineCertification(CHAIN))
        .isInstanceOf(ReferenceCertificates.UnreadableArtefactException.class)
        .hasMessageContaining("no certification block");
    assertThatThrownBy(() -> ReferenceCertificates.tierCertificate(CHAIN, CA_B))
        .hasMessageContaining("not a readable bundle");
  }
}
