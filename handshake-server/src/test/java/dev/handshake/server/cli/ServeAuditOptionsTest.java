package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.server.ServerAudit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeAuditOptionsTest {
  @TempDir Path dir;

  @Test
  void auditIsOnByDefaultAndCanBeSwitchedOff() throws Exception {
    ServeCommand defaults = new ServeCommand();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.audit).isTrue();
    assertThat(defaults.auditPassphraseEnv).isEqualTo("HANDSHAKE_AUDIT_PASSPHRASE");

    ServeCommand off = new ServeCommand();
    new CommandLine(off).parseArgs("--audit=false", "--data", dir.toString());
    assertThat(off.audit).isFalse();
    assertThat(off.openAudit()).isNull();

    ServeCommand on = new ServeCommand();
    new CommandLine(on)
        .parseArgs("--audit", "--data", dir.toString(), "--audit-passphrase-env", "HANDSHAKE_TEST_UNSET_VARIABLE");
    assertThat(on.audit).isTrue();
    try (ServerAudit audit = on.openAudit()) {
      assertThat(audit).isNotNull();
      assertThat(dir.resolve(ServerAudit.PASS_FILE)).exists();
    }
  }
}
