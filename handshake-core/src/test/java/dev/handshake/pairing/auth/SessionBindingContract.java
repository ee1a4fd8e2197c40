package dev.handshake.pairing.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link SessionBinding} must do. */
abstract class SessionBindingContract {
  abstract SessionBinding binding();

  static final Principal ANN = new Principal("telegram:default:111", "paired", Set.of(), Map.of());
  static final Principal BOB = new Principal("telegram:default:222", "paired", Set.of(), Map.of());

  @Test
  void aSessionKeepsItsFirstPrincipal() {
    SessionBinding b = binding();
    assertThat(b.bind("s1", ANN)).isTrue();
    assertThat(b.bind("s1", BOB)).isFalse();
    assertThat(b.lookup("s1")).contains(ANN);
    assertThat(b.lookup("s2")).isEmpty();
  }

  @Test
  void unbindForgetsTheSession() {
    SessionBinding b = binding();
    b.bind("s1", ANN);
    assertThat(b.unbind("s1")).isTrue();
    assertThat(b.unbind("s1")).isFalse();
    assertThat(b.lookup("s1")).isEmpty();
    assertThat(b.bind("s1", BOB)).isTrue();
  }
}
