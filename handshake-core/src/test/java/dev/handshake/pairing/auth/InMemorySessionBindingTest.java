package dev.handshake.pairing.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemorySessionBindingTest extends SessionBindingContract {
  @Override
  SessionBinding binding() {
    return new InMemorySessionBinding(10);
  }

  @Test
  void itIsBounded() {
    InMemorySessionBinding b = new InMemorySessionBinding(2);
    b.bind("a", ANN);
    b.bind("b", ANN);
    assertThatThrownBy(() -> b.bind("c", ANN)).isInstanceOf(IllegalStateException.class);
    assertThat(b.bind("a", BOB)).isFalse();
  }
}
