package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SessionStateCodecTest {

  private static SessionState busySession() {
    SessionState s = SessionStoreContract.session("abc");
    s.setOwner("bob");
    s.addExtension(60);
    s.values()
        .put("email", new FieldValue(Json.nodes().stringNode("x@y.z"), FieldOwner.USER_EDIT, 11));
    s.data()
        .put(
            "big",
            Json.nodes().numberNode(new java.math.BigInteger("123456789012345678901234567890")));
    s.data().put("nested", Json.mapper().readTree("{\"a\":[1,2.5,\"\\u0000\"]}"));
    s.recordChange(
        "email", Json.nodes().nullNode(), Json.nodes().stringNode("x@y.z"), "user", 12, 5);
    s.touch(SessionStoreContract.T0 + 7);
    return s;
  }

  @Test
  void aDecodedSessionEncodesToTheSameBytes() {
    byte[] once = SessionStateCodec.encode(busySession());

    byte[] twice = SessionStateCodec.encode(SessionStateCodec.decode(once));

    assertThat(new String(twice, StandardCharsets.UTF_8))
        .isEqualTo(new String(once, StandardCharsets.UTF_8));
  }

  @Test
  void aDecodedSessionKeepsItsExtensionsAndItsNextChangeNumber() {
    SessionState s = SessionStateCodec.decode(SessionStateCodec.encode(busySession()));

    assertThat(s.extendedSeconds()).isEqualTo(60);
    assertThat(s.ttlSeconds()).isEqualTo(1860);
    assertThat(s.touchedAtMicros()).isEqualTo(SessionStoreContract.T0 + 7);
    assertThat(
            s.recordChange("k", Json.nodes().nullNode(), Json.nodes().numberNode(1), "ai", 13, 5)
                .seq())
        .isEqualTo(2);
  }

  @Test
  void theStoredFormHoldsDigestsButNoSecret() {
    String stored = new String(SessionStateCodec.encode(busySession()), StandardCharsets.UTF_8);

    assertThat(stored).doesNotContain("token-abc").doesNotContain("binding-abc");
  }

  @Test
  void aSessionWithoutBindingOwnerOrMetaRoundTrips() {
    SessionState bare =
        new SessionState(
            "bare",
            dev.handshake.crypto.SecretDigest.of("t"),
            null,
            Json.nodes().nullNode(),
            "default",
            Json.mapper().createArrayNode(),
            Json.object(),
            30,
            1);

    SessionState back = SessionStateCodec.decode(SessionStateCodec.encode(bare));

    assertThat(back.binding()).isEmpty();
    assertThat(back.owner()).isEmpty();
    assertThat(back.mode().isNull()).isTrue();
    assertThat(back.schemaJson()).isEqualTo("[]".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anotherFormatVersionIsRefused() {
    String stored = new String(SessionStateCodec.encode(busySession()), StandardCharsets.UTF_8);
    byte[] future = stored.replace("{\"v\":1,", "{\"v\":2,").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SessionStateCodec.decode(future))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 2");
  }

  @Test
  void bytesThatAreNoStoredSessionAreRefused() {
    assertThatThrownBy(() -> SessionStateCodec.decode("{\"v\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SessionStateCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
