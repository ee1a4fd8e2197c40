package dev.handshake.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** RFC 8785 output of {@link CanonicalJson}: the RFC's own examples, escaping, key order. */
class CanonicalJsonTest {

  @Test
  void reproducesTheRfc8785Section322Example() {
    String input =
        """
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
          "literals": [null, true, false]
        }\
        """;
    String expected =
        """
        {"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],\
        "string":"€$\\u000f\\nA'B\\"\\\\\\\\\\"/"}\
        """;

    assertThat(CanonicalJson.canonicalString(CanonicalJson.parse(input))).isEqualTo(expected);
  }

  @Test
  void sortsKeysByUtf16CodeUnitsAsInRfc8785Section323() {
    String input =
        """
        {
          "\\u20ac": "Euro Sign",
          "\\r": "Carriage Return",
          "\\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\\ud83d\\ude00": "Emoji: Grinning Face",
          "\\u0080": "Control",
          "\\u00f6": "Latin Small Letter O With Diaeresis"
        }\
        """;

    String canonical = CanonicalJson.canonicalString(CanonicalJson.parse(input));

    List<String> values = new ArrayList<>();
    for (Map.Entry<String, JsonNode> member : CanonicalJson.parse(canonical).properties()) {
      values.add(member.getValue().stringValue());
    }
    assertThat(values)
        .containsExactly(
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh");
  }

  @Test
  void escapesOnlyQuoteBackslashAndC0ControlsWithLowercaseHex() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    JsonNode value = Json.nodes().stringNode(controls + "\"\\/\u007f\u2028é😀");

    assertThat(CanonicalJson.canonicalString(value))
        .isEqualTo(
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
                + "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\u007f\u2028é😀\"");
  }

  @Test
  void writesNonAsciiAsRawUtf8() {
    JsonNode value = Json.nodes().stringNode("é😀");

    assertThat(CanonicalJson.canonicalize(value))
        .isEqualTo("\"é😀\"".getBytes(StandardCharsets.UTF_8))
        .hasSize(2 + 2 + 4);
  }

  @Test
  void writesIntegersAsTheIeeeDoubleEcmascriptWouldPrint() {
    JsonNode value = CanonicalJson.parse("[18446744073709551616, -0, 100, 100.0, -0.0, 1e16]");

    assertThat(CanonicalJson.canonicalString(value))
        .isEqualTo("[18446744073709552000,0,100,100,0,10000000000000000]");
  }

  @Test
  void leavesNoWhitespaceAndSortsNestedObjects() {
    JsonNode value =
        CanonicalJson.parse("{ \"b\" : [ 1 , { \"z\" : 1 , \"a\" : 2 } ] , \"a\" : { } }");

    assertThat(CanonicalJson.canonicalString(value))
        .isEqualTo("{\"a\":{},\"b\":[1,{\"a\":2,\"z\":1}]}");
  }

  @Test
  void terminatesOnTheInputThatHangsOtherJavaLibraries() {
    JsonNode value = CanonicalJson.parse("[1e-315]");

    assertThat(CanonicalJson.canonicalString(value)).isEqualTo("[1e-315]");
  }

  @Test
  void refusesAnIntegerBeyondTheDoubleRange() {
    JsonNode value = Json.nodes().arrayNode().add(Json.nodes().numberNode(BigInteger.TEN.pow(400)));

    assertThatThrownBy(() -> CanonicalJson.canonicalize(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$[0]");
  }

  @Test
  void refusesNonFiniteNumbersInBuiltTrees() {
    ObjectNode value = Json.object().put("x", Double.NaN);

    assertThatThrownBy(() -> CanonicalJson.canonicalize(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.x");
  }

  @Test
  void refusesLoneSurrogatesInBuiltTrees() {
    ObjectNode value = Json.object().put("text", "a\ud800b");

    assertThatThrownBy(() -> CanonicalJson.canonicalize(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("U+D800")
        .hasMessageContaining("$.text");
  }

  @Test
  void refusesValuesThatAreNotJsonData() {
    ObjectNode value = Json.object();
    value.set("blob", Json.nodes().binaryNode(new byte[] {1}));

    assertThatThrownBy(() -> CanonicalJson.canonicalize(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.blob");
  }
}
