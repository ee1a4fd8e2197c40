package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handshake audit verify-proof}: offline proof checking from files. */
class AuditProofCommandTest {
  @TempDir Path dir;
  private TransparencyLog log;
  private CheckpointSigner signer;
  private String logKey;

  private static CliRun run(String... args) {
    CommandEnvironment environment =
        new CommandEnvironment(k -> null, p -> Optional.empty(), Clock.systemUTC(), new SecureRandom());
    return CliRun.execute(environment, args);
  }

  @BeforeEach
  void setUp() {
    log = TransparencyLog.open(new InMemoryLogStore());
    signer = CheckpointSigner.create("test.local/audit", Ed25519PrivateKey.generate(new SecureRandom()));
    logKey = signer.verifierKey().text();
    for (int i = 0; i < 10; i++) {
      log.append(("entry-" + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aValidInclusionBundleWithItsEntryVerifiesAndATamperedEntryDoesNot() throws Exception {
    SignedNote note = signer.sign(log.head());
    Path bundle = Files.writeString(dir.resolve("proof.txt"), ProofBundle.create(log, 3, note).format());
    Path entry = Files.writeString(dir.resolve("proof.txt.entry"), "entry-3");
    Path keyFile = Files.writeString(dir.resolve("log.key"), logKey + "\n");

    CliRun ok = run("audit", "verify-proof", "--log-key", "@" + keyFile, "--inclusion", bundle.toString(), "--entry", entry.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("valid: test.local/audit size 10");

    Files.writeString(entry, "entry-4");
    CliRun bad = run("audit", "verify-proof", "--log-key", logKey, "--inclusion", bundle.toString(), "--entry", entry.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("INCLUSION_PROOF_INVALID");
  }

  @Test
  void aConsistencyBundleVerifiesAndABundleFromAnotherLogKeyIsRejected() throws Exception {
    SignedNote older = signer.sign(log.head());
    log.append("entry-10".getBytes(StandardCharsets.UTF_8));
    SignedNote newer = signer.sign(log.head());
    Path bundle = Files.writeString(dir.resolve("consistency.txt"), ConsistencyBundle.create(log, older, newer).format());
    CliRun ok = run("audit", "verify-proof", "--log-key", logKey, "--consistency", bundle.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();

    String otherKey =
        CheckpointSigner.create("test.local/audit", Ed25519PrivateKey.generate(new SecureRandom())).verifierKey().text();
    CliRun wrong = run("audit", "verify-proof", "--log-key", otherKey, "--consistency", bundle.toString());
    assertThat(wrong.exit()).isEqualTo(1);
  }

  @Test
  void unreadableInputsExitTwoWithAReason() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.txt"), "not a bundle");
    CliRun missingEntry = run("audit", "verify-proof", "--log-key", logKey, "--inclusion", junk.toString());
    assertThat(missingEntry.exit()).isEqualTo(2);
    assertThat(missingEntry.err()).contains("--entry");
    CliRun badKey = run("audit", "verify-proof", "--log-key", "nonsense", "--consistency", junk.toString());
    assertThat(badKey.exit()).isEqualTo(2);
    assertThat(badKey.err()).contains("log key");
    CliRun noFile = run("audit", "verify-proof", "--log-key", logKey, "--consistency", dir.resolve("absent").toString());
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).contains("no such file");
  }
}
