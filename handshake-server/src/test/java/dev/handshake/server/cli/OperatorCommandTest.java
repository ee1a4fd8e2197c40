package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.OperatorTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handshake operator}: scoped tokens shown once and kept as digests. */
class OperatorCommandTest {
  @TempDir Path data;

  @Test
  void addListRemove() throws Exception {
    assertThat(CliRun.execute(PairCommandTest.ENV, "operator", "init", "--data", data.toString()).exit()).isZero();
    CliRun add = CliRun.execute(PairCommandTest.ENV, "operator", "add-token", "--name", "bot",
        "--scope", "write,read", "--data", data.toString());
    assertThat(add.exit()).as(add.err()).isZero();
    String token = add.out().strip();
    assertThat(Files.readString(data.resolve(OperatorTokens.TOKENS_FILE))).doesNotContain(token);
    assertThat(OperatorTokens.forLoopback(data, Optional.empty(), new java.security.SecureRandom())
        .verify(token).orElseThrow().can(OperatorScope.WRITE)).isTrue();
    assertThat(CliRun.execute(PairCommandTest.ENV, "operator", "list", "--data", data.toString()).out())
        .contains("operator:bot  [read, write]").contains("operator:default  [admin]").doesNotContain(token);
    CliRun bad = CliRun.execute(PairCommandTest.ENV, "operator", "add-token", "--name", "x",
        "--scope", "root", "--data", data.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown scope");
    assertThat(CliRun.execute(PairCommandTest.ENV, "operator", "remove-token", "--name", "bot",
        "--data", data.toString()).exit()).isZero();
    assertThat(OperatorTokens.forLoopback(data, Optional.empty(), new java.security.SecureRandom())
        .verify(token)).isEmpty();
  }

  @Test
  void rotateReplacesTheAdminToken() throws Exception {
    CliRun.execute(PairCommandTest.ENV, "operator", "init", "--data", data.toString());
    String before = Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip();
    CliRun r = CliRun.execute(PairCommandTest.ENV, "operator", "rotate", "--data", data.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String after = r.out().strip();
    assertThat(after).isNotEqualTo(before).isEqualTo(Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip());
    OperatorTokens tokens = OperatorTokens.forLoopback(data, Optional.empty(), new java.security.SecureRandom());
    assertThat(tokens.verify(before)).isEmpty();
    assertThat(tokens.verify(after)).isPresent();
  }
}
