package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.zip.BoundedZip;
import dev.handshake.zip.DeterministicZip;
import dev.handshake.zip.ZipLimits;
import dev.handshake.zip.ZipMember;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code handshake audit certify|verify-cert} run in-process (docs/CERTIFICATION.md). */
class AuditCertifyCommandTest {
  private static final String PASSPHRASE = "certify test passphrase";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final ZipLimits READ = new ZipLimits(1 << 24, 8, 1 << 23, 1 << 24);

  @TempDir Path dir;

  private static CommandEnvironment at(Instant now) {
    return new CommandEnvironment(
        Map.of("HS_PASS", PASSPHRASE)::get,
        SecretPrompt.none(),
        Clock.fixed(now, ZoneOffset.UTC),
        new SecureRandom());
  }

  private CliRun run(String... args) {
    return CliRun.execute(at(NOW), args);
  }

  private Path newKey(String name) {
    return CliRun.newKey(at(NOW), dir.resolve(name));
  }

  /** Three events stamped with {@code key} and exported. */
  private Path exportOf(Path key) {
    Path data = dir.resolve("data-" + key.getFileName());
    CliRun.stampThreeOrders(at(NOW), key, data);
    Path out = dir.resolve("audit-" + key.getFileName() + ".json");
    CliRun r =
        run(
            "audit",
            "export",
            "--key",
            key.toString(),
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS");
    assertThat(r.exit()).as("export failed: %s", r.err()).isZero();
    return out;
  }

  private CliRun certify(Path caKey, Path audit, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "certify",
                "--ca-key",
                caKey.toString(),
                "--audit",
                audit.toString(),
                "--out",
                out.toString(),
                "--passphrase-env",
                "HS_PASS"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private Path publicIdentity(Path key, String format) {
    Path out = dir.resolve(key.getFileName() + "." + format);
    CliRun r = run("id", "export", key.toString(), "--format", format, "--out", out.toString());
    assertThat(r.exit()).as("id export failed: %s", r.err()).isZero();
    return out;
  }

  private static CliRun verifyCert(
      CommandEnvironment env, Path bundle, Path caPublic, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("audit", "verify-cert", bundle.toString(), "--ca-public", caPublic.toString()));
    args.addAll(List.of(extra));
    return CliRun.execute(env, args.toArray(String[]::new));
  }

  /** A CA key, an agent's export and the bundle the CA issued for it. */
  private record Issued(Path caKey, Path audit, Path bundle) {}

  private Issued issued() {
    Path ca = newKey("ca.key");
    Path audit = exportOf(newKey("agent.key"));
    Path bundle = dir.resolve("audit.cert.zip");
    CliRun r = certify(ca, audit, bundle);
    assertThat(r.exit()).as("certify failed: %s", r.err()).isZero();
    return new Issued(ca, audit, bundle);
  }

  @Test
  void item10_certifyWritesABundleThatVerifiesAgainstTheCaIdentity() throws Exception {
    Issued issued = issued();
    List<ZipMember> members = BoundedZip.read(issued.bundle(), READ);
    assertThat(members)
        .extracting(ZipMember::name)
        .containsExactly("certificate.json", "audit.json", "ca-identity.json");
    assertThat(members.get(1).bytes()).isEqualTo(Files.readAllBytes(issued.audit()));

    CliRun r = verifyCert(at(NOW), issued.bundle(), publicIdentity(issued.caKey(), "identity"));
    assertThat(r.exit()).as("verify-cert: %s %s", r.out(), r.err()).isZero();
    assertThat(r.out()).contains("result:       VALID").contains("events:       3");
  }

  @Test
  void verifyCertAcceptsThePublicPemOrTheBareBase64Key() throws Exception {
    Issued issued = issued();
    Path pem = publicIdentity(issued.caKey(), "public-pem");
    assertThat(verifyCert(at(NOW), issued.bundle(), pem).exit()).isZero();

    JsonNode identity =
        Json.tryParse(Files.readAllBytes(publicIdentity(issued.caKey(), "identity"))).orElseThrow();
    Path raw = dir.resolve("ca.b64");
    Files.writeString(raw, identity.path("public_key").stringValue() + "\n");
    assertThat(verifyCert(at(NOW), issued.bundle(), raw).exit()).isZero();
  }

  @Test
  void item10_certifyRefusesTheAgentsOwnKeyAndWritesNothing() {
    Path agent = newKey("agent.key");
    Path audit = exportOf(agent);
    Path bundle = dir.resolve("self.zip");
    CliRun r = certify(agent, audit, bundle);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("audit certify:").contains("its own key");
    assertThat(bundle).doesNotExist();
  }

  @Test
  void item10_certifyRefusesAnExportThatDoesNotVerifyWithExit1() throws Exception {
    Path ca = newKey("ca.key");
    Path audit = exportOf(newKey("agent.key"));
    String text = Files.readString(audit);
    Files.writeString(audit, text.replace("\"amount\": 200", "\"amount\": 250"));
    Path bundle = dir.resolve("bad.zip");
    CliRun r = certify(ca, audit, bundle);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("refused");
    assertThat(bundle).doesNotExist();
  }

  @Test
  void item10_verifyCertRefusesABundleFromAnotherCa() {
    Issued issued = issued();
    Path otherCa = newKey("other-ca.key");
    CliRun r = verifyCert(at(NOW), issued.bundle(), publicIdentity(otherCa, "identity"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("INVALID: UNTRUSTED_ISSUER");
  }

  @Test
  void item10_verifyCertRefusesABundleWhoseAuditWasSwapped() throws Exception {
    Issued issued = issued();
    List<ZipMember> members = new ArrayList<>();
    for (ZipMember m : BoundedZip.read(issued.bundle(), READ)) {
      members.add(
          m.name().equals("audit.json")
              ? new ZipMember(
                  "audit.json",
                  (new String(m.bytes(), StandardCharsets.UTF_8) + " ")
                      .getBytes(StandardCharsets.UTF_8))
              : m);
    }
    Path swapped = dir.resolve("swapped.zip");
    Files.write(swapped, DeterministicZip.write(members));
    CliRun r = verifyCert(at(NOW), swapped, publicIdentity(issued.caKey(), "identity"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("AUDIT_HASH_MISMATCH");
  }

  @Test
  void item10_verifyCertRefusesAnExpiredCertificate() {
    Issued issued = issued();
    Path caIdentity = publicIdentity(issued.caKey(), "identity");
    CliRun later = verifyCert(at(NOW.plus(Duration.ofDays(366))), issued.bundle(), caIdentity);
    assertThat(later.exit()).isEqualTo(1);
    assertThat(later.out()).contains("INVALID: EXPIRED");
  }

  @Test
  void verifyCertSaysExit2ForSomethingThatIsNotABundle() {
    Issued issued = issued();
    CliRun r = verifyCert(at(NOW), issued.audit(), publicIdentity(issued.caKey(), "identity"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("audit verify-cert:").contains("not a certification bundle");
  }

  @Test
  void certifyNeverReplacesAnExistingBundleUnlessForced() {
    Issued issued = issued();
    CliRun again = certify(issued.caKey(), issued.audit(), issued.bundle());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("--force");
    assertThat(certify(issued.caKey(), issued.audit(), issued.bundle(), "--force").exit()).isZero();
  }

  @Test
  void verifyCertJsonCarriesTheCertificateAndTheReport() {
    Issued issued = issued();
    CliRun r =
        verifyCert(at(NOW), issued.bundle(), publicIdentity(issued.caKey(), "identity"), "--json");
    assertThat(r.exit()).isZero();
    JsonNode json = Json.tryParse(r.out().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(json.path("valid").booleanValue()).isTrue();
    assertThat(json.path("certificate").path("cert_id").stringValue()).startsWith("CERT-20260601-");
    assertThat(json.path("report").path("valid").booleanValue()).isTrue();
  }
}
