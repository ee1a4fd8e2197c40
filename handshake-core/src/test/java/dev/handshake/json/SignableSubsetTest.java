package dev.handshake.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@link CanonicalJson#requireSignable}: the subset on which RFC 8785 and the Python reference
 * agree byte for byte (aiss.md §2.3, "Java implications").
 */
class SignableSubsetTest {
  private static final JsonNode CHAIN = VectorFiles.json("/vectors/aiss/chain.json");

  @Test
  void acceptsTheChainGenesisEvent() {
    JsonNode genesis = CHAIN.path("events").get(0);

    assertThatCode(() -> CanonicalJson.requireSignable(genesis)).doesNotThrowAnyException();
    assertThat(CanonicalJson.canonicalString(genesis))
        .as("on the signable subset both canonical forms agree")
        .isEqualTo(PythonJson.canonicalString(genesis));
  }

  @Test
  void rejectsTheTradeEventForItsFloatPriceNamingThePath() {
    JsonNode trade = CHAIN.path("events").get(1);

    assertThatThrownBy(() -> CanonicalJson.requireSignable(trade))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.payload.price")
        .hasMessageContaining("150.25");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9007199254740992", "-9007199254740992", "18446744073709551616"})
  void rejectsIntegersBeyondTwoToThe53MinusOne(String integer) {
    JsonNode value = CanonicalJson.parse("{\"n\":[" + integer + "]}");

    assertThatThrownBy(() -> CanonicalJson.requireSignable(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.n[0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9007199254740991", "-9007199254740991", "0", "-1"})
  void acceptsIntegersUpToTwoToThe53MinusOne(String integer) {
    JsonNode value = CanonicalJson.parse("[" + integer + "]");

    assertThatCode(() -> CanonicalJson.requireSignable(value)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.0", "1e2", "-0.0", "0.5"})
  void rejectsEveryFloatingPointNumberEvenWholeOnes(String number) {
    JsonNode value = CanonicalJson.parse("[" + number + "]");

    assertThatThrownBy(() -> CanonicalJson.requireSignable(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$[0]");
  }

  @Test
  void rejectsTheKeyOrderCaseOfTheQuirkVectors() {
    JsonNode value = CanonicalJson.parse("{\"x\":{\"\\ue000\":1,\"\\ud83d\\ude00\":2}}");

    assertThatThrownBy(() -> CanonicalJson.requireSignable(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.x");
  }

  @Test
  void rejectsKeysWhoseOrdersDifferAfterACommonPrefix() {
    JsonNode value = CanonicalJson.parse("{\"a\\ue000\":1,\"a\\ud83d\\ude00\":2}");

    assertThatThrownBy(() -> CanonicalJson.requireSignable(value))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void acceptsKeysFromEitherRangeAlone() {
    JsonNode privateUse = CanonicalJson.parse("{\"\\ue000\":1,\"a\":2,\"\\uffff\":3}");
    JsonNode astral = CanonicalJson.parse("{\"\\ud83d\\ude00\":1,\"a\":2,\"\\u00e9\":3}");

    assertThatCode(() -> CanonicalJson.requireSignable(privateUse)).doesNotThrowAnyException();
    assertThatCode(() -> CanonicalJson.requireSignable(astral)).doesNotThrowAnyException();
  }

  @Test
  void rejectsLoneSurrogatesInBuiltTrees() {
    JsonNode value = Json.object().put("k", "\udc00");

    assertThatThrownBy(() -> CanonicalJson.requireSignable(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.k");
  }
}
