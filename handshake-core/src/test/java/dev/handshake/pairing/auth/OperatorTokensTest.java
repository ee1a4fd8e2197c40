package dev.handshake.pairing.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.BearerSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator tokens: the contract, scopes, files at rest, and the external-bind rule (item 16). */
class OperatorTokensTest extends AuthProtocolContract {
  @TempDir Path data;
  OperatorTokens tokens;
  BearerSecret reader;

  @BeforeEach
  void load() throws IOException {
    reader = OperatorTokens.addScoped(data, "reader", Set.of(OperatorScope.READ), new SecureRandom());
    tokens = OperatorTokens.forLoopback(data, Optional.empty(), new SecureRandom());
  }

  @Override
  AuthProtocol protocol() {
    return tokens;
  }

  @Override
  String validToken() {
    return reader.reveal();
  }

  @Override
  String expectedPrincipalId() {
    return "operator:reader";
  }

  @Override
  boolean invalidate() {
    try {
      OperatorTokens.removeScoped(data, "reader");
      tokens = OperatorTokens.forLoopback(data, Optional.empty(), new SecureRandom());
      return true;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void scopedTokensAreStoredOnlyAsDigestsAndCarryTheirScopes() throws IOException {
    String file = Files.readString(data.resolve(OperatorTokens.TOKENS_FILE));
    assertThat(file).contains("reader").doesNotContain(reader.reveal());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(OperatorTokens.TOKENS_FILE))))
        .isEqualTo("rw-------");
    Principal p = tokens.verify(reader.reveal()).orElseThrow();
    assertThat(p.can(OperatorScope.READ)).isTrue();
    assertThat(p.can(OperatorScope.PAIRING)).isFalse();
    String admin = Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip();
    Principal root = tokens.verify(admin).orElseThrow();
    assertThat(root.id()).isEqualTo("operator:default");
    assertThat(root.can(OperatorScope.PAIRING)).isTrue();
  }

  @Test
  void theScopeLatticeDoesNotEscalateSiblings() {
    assertThat(OperatorScope.allows(Set.of(OperatorScope.PAIRING), OperatorScope.READ)).isTrue();
    assertThat(OperatorScope.allows(Set.of(OperatorScope.PAIRING), OperatorScope.WRITE)).isTrue();
    assertThat(OperatorScope.allows(Set.of(OperatorScope.READ), OperatorScope.WRITE)).isFalse();
    assertThat(OperatorScope.allows(Set.of(OperatorScope.APPROVALS, OperatorScope.PAIRING), OperatorScope.ADMIN))
        .isFalse();
    assertThat(OperatorScope.allows(Set.of(OperatorScope.ADMIN), "anything")).isTrue();
  }

  @Test
  void item16_externalBindsNeedAnExistingStrongToken() throws IOException {
    Path fresh = data.resolve("fresh");
    assertThatThrownBy(() -> OperatorTokens.forExternalBind(fresh, Optional.empty()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> OperatorTokens.forExternalBind(fresh, Optional.of("password")))
        .hasMessageContaining("placeholder");
    assertThat(OperatorTokens.forExternalBind(fresh, Optional.of("a-strong-secret-of-thirty-two-chars")).entries())
        .hasSize(1);
    assertThat(OperatorTokens.forExternalBind(data, Optional.empty()).entries()).as("the file from first start")
        .hasSize(2);
  }

  @Test
  void aFileReadableByOthersIsRefused() throws IOException {
    Files.setPosixFilePermissions(data.resolve(OperatorTokens.DEFAULT_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> OperatorTokens.forLoopback(data, Optional.empty(), new SecureRandom()))
        .hasMessageContaining("readable by others");
  }

  @Test
  void badScopesAndNamesAreRefused() {
    assertThatThrownBy(() -> OperatorTokens.addScoped(data, "x", Set.of("root"), new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scope");
    assertThatThrownBy(() -> OperatorTokens.addScoped(data, "reader", Set.of("read"), new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
  }
}
