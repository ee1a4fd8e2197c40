package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class SetupCodeTest {
  private final BearerSecret token = BearerSecret.generate(new SecureRandom(), 32);

  @Test
  @DisplayName("§4 item 14: a setup code is base64url of {url, bootstrapToken}")
  void item14_aSetupCodeIsBase64UrlOfUrlAndBootstrapToken() {
    String text = SetupCode.of("wss://gw.example:8443", List.of(), token).reveal();

    assertThat(text).matches("[A-Za-z0-9_-]+");
    JsonNode json = Json.mapper().readTree(
        new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
    assertThat(json.propertyNames()).containsExactly("url", "bootstrapToken");
    assertThat(json.get("url").stringValue()).isEqualTo("wss://gw.example:8443");
    assertThat(json.get("bootstrapToken").stringValue()).isEqualTo(token.reveal());
  }

  @Test
  void candidateUrlsAreOptionalAndAtMostEight() {
    List<String> eight = Collections.nCopies(8, "wss://gw.example");
    List<String> nine = Collections.nCopies(9, "wss://gw.example");

    SetupCode code = SetupCode.of("wss://gw.example", eight, token);

    assertThat(SetupCode.parse(code.reveal()).orElseThrow().urls()).hasSize(8);
    assertThatThrownBy(() -> SetupCode.of("wss://gw.example", nine, token))
        .isInstanceOf(IllegalArgumentException.class);
    String tooMany = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"url\":\"wss://a\",\"bootstrapToken\":\"t\",\"urls\":[" + "\"wss://a\",".repeat(8)
            + "\"wss://a\"]}").getBytes(StandardCharsets.UTF_8));
    assertThat(SetupCode.parse(tooMany)).isEmpty();
  }

  @Test
  void parsingGivesBackWhatWasEncoded() {
    SetupCode code = SetupCode.of("ws://192.168.1.20:18789", List.of("wss://gw.example"), token);

    SetupCode back = SetupCode.parse(code.reveal()).orElseThrow();

    assertThat(back.url()).isEqualTo("ws://192.168.1.20:18789");
    assertThat(back.urls()).containsExactly("wss://gw.example");
    assertThat(back.revealBootstrapToken()).isEqualTo(token.reveal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"wss://gw.example", "ws://127.0.0.1:18789", "ws://localhost:1",
      "ws://10.1.2.3", "ws://172.16.0.1", "ws://172.31.255.255", "ws://192.168.0.9",
      "ws://printer.local", "ws://10.0.2.2:8080", "ws://[::1]:18789"})
  void wssAnywhereAndCleartextWsOnlyToLocalHosts(String url) {
    assertThat(SetupCode.allowedUrl(url)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws://gw.example", "ws://172.32.0.1", "ws://8.8.8.8", "http://x.local",
      "https://gw.example", "wss://", "not a url", "wss://user:pw@gw.example", "ws://192.168.1"})
  void otherUrlsAreRefused(String url) {
    assertThat(SetupCode.allowedUrl(url)).isFalse();
  }

  @Test
  void garbageIsNotASetupCode() {
    assertThat(SetupCode.parse("")).isEmpty();
    assertThat(SetupCode.parse("!!!")).isEmpty();
    assertThat(SetupCode.parse(Base64.getUrlEncoder().encodeToString("[1]".getBytes(
        StandardCharsets.UTF_8)))).isEmpty();
    assertThat(SetupCode.parse(Base64.getUrlEncoder().encodeToString(
        "{\"url\":\"ws://evil.example\",\"bootstrapToken\":\"t\"}".getBytes(
            StandardCharsets.UTF_8)))).isEmpty();
  }

  @Test
  void itsToStringNeverShowsTheToken() {
    SetupCode code = SetupCode.of("wss://gw.example", List.of(), token);

    assertThat(code.toString()).doesNotContain(token.reveal()).doesNotContain(code.reveal());
  }
}
