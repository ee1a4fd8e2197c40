package dev.handshake.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassphraseTest {
  @Test
  void toStringNeverShowsTheCharacters() {
    Passphrase passphrase = Passphrase.copyOf("hunter2");

    assertThat(passphrase.toString()).doesNotContain("hunter2").contains("redacted");
  }

  @Test
  void wipeErasesTheArrayItWasGiven() {
    char[] typed = "hunter2".toCharArray();
    Passphrase passphrase = Passphrase.wrap(typed);

    passphrase.wipe();

    assertThat(typed).as("the caller's array is overwritten").containsOnly('\0');
    assertThat(passphrase.isWiped()).isTrue();
    assertThatThrownBy(passphrase::utf8).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeWipesLikeWipe() {
    char[] typed = "secret".toCharArray();
    try (Passphrase passphrase = Passphrase.wrap(typed)) {
      assertThat(passphrase.isEmpty()).isFalse();
    }

    assertThat(typed).containsOnly('\0');
  }

  @Test
  void utf8IsWhatPythonEncodeGives() {
    Passphrase passphrase = Passphrase.copyOf("pässwörd 🔑");

    assertThat(passphrase.utf8()).isEqualTo("pässwörd 🔑".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anUnpairedSurrogateIsRefusedRatherThanReplaced() {
    Passphrase passphrase = Passphrase.wrap(new char[] {'a', '\uD800'});

    assertThatThrownBy(passphrase::utf8).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sameAsComparesCharacters() {
    assertThat(Passphrase.copyOf("abc").sameAs(Passphrase.copyOf("abc"))).isTrue();
    assertThat(Passphrase.copyOf("abc").sameAs(Passphrase.copyOf("abd"))).isFalse();
    assertThat(Passphrase.copyOf("abc").sameAs(Passphrase.copyOf("ab"))).isFalse();
  }
}
