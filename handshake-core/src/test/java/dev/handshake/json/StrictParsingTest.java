package dev.handshake.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;

/** What {@link CanonicalJson#parse} refuses and how it keeps number types. */
class StrictParsingTest {

  @Test
  void refusesDuplicateKeysNamingTheObject() {
    assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":{\"b\":[1,{\"c\":1,\"c\":2}]}}"))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("duplicate key \"c\"")
        .hasMessageContaining("$.a.b[1]");
  }

  @Test
  void refusesDuplicateKeysEvenWithEqualValues() {
    assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":1}"))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[\"\\ud800\"]",
        "[\"\\udc00\"]",
        "[\"x\\ud83dy\"]",
        "[\"\\ude00\\ud83d\"]",
        "{\"\\ud800\":1}",
        "{\"k\\udfff\":1}"
      })
  void refusesLoneSurrogateEscapesInStringsAndKeys(String json) {
    assertThatThrownBy(() -> CanonicalJson.parse(json))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void acceptsEscapedSurrogatePairs() {
    assertThat(CanonicalJson.parse("\"\\ud83d\\ude00\"").stringValue()).isEqualTo("😀");
  }

  @Test
  void refusesLoneSurrogatesInJavaStrings() {
    assertThatThrownBy(() -> CanonicalJson.parse("[\"\ud800\"]"))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void refusesInvalidUtf8IncludingEncodedSurrogatesAndOverlongForms() {
    byte[][] inputs = {
      {'"', (byte) 0xff, '"'},
      {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},
      {'"', (byte) 0xc0, (byte) 0xaf, '"'}
    };
    for (byte[] input : inputs) {
      assertThatThrownBy(() -> CanonicalJson.parse(input))
          .isInstanceOf(CanonicalJsonException.class)
          .hasMessageContaining("UTF-8");
    }
  }

  @Test
  void refusesAByteOrderMark() {
    byte[] input = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '1'};

    assertThatThrownBy(() -> CanonicalJson.parse(input))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("byte order mark");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[NaN]", "[Infinity]", "[-Infinity]", "1e400", "[-1e400]"})
  void refusesNonFiniteNumbers(String json) {
    assertThatThrownBy(() -> CanonicalJson.parse(json)).isInstanceOf(CanonicalJsonException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "[1] 2", "[1]]", "{\"a\":01}", "[1,]", "{'a':1}", "[\"\t\"]", "/*c*/1"})
  void refusesMalformedOrTrailingInput(String json) {
    assertThatThrownBy(() -> CanonicalJson.parse(json)).isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void boundsNestingAtTheDefaultDepth() {
    String deepest = "[".repeat(CanonicalJson.DEFAULT_MAX_DEPTH) + "]".repeat(256);
    String tooDeep = "[".repeat(CanonicalJson.DEFAULT_MAX_DEPTH + 1) + "]".repeat(257);

    assertThat(CanonicalJson.parse(deepest).isArray()).isTrue();
    assertThatThrownBy(() -> CanonicalJson.parse(tooDeep))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("deeper than 256");
  }

  @Test
  void boundsNestingAtACallerChosenDepth() {
    byte[] threeDeep = "{\"a\":[{}]}".getBytes(StandardCharsets.UTF_8);

    assertThat(CanonicalJson.parse(threeDeep, 3).isObject()).isTrue();
    assertThatThrownBy(() -> CanonicalJson.parse(threeDeep, 2))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("deeper than 2");
  }

  @Test
  void refusesAHugelyNestedDocumentWithoutExhaustingTheStack() {
    String hostile = "[".repeat(200_000);

    assertThatThrownBy(() -> CanonicalJson.parse(hostile, Integer.MAX_VALUE))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void keepsTheLexicalTypeOfNumbers() {
    JsonNode value =
        CanonicalJson.parse("[100, 100.0, 1e2, 4294967296, 18446744073709551616, -0.0]");

    assertThat(value.get(0)).isInstanceOf(IntNode.class);
    assertThat(value.get(1)).isInstanceOf(DoubleNode.class);
    assertThat(value.get(2)).isInstanceOf(DoubleNode.class);
    assertThat(value.get(3)).isInstanceOf(LongNode.class);
    assertThat(value.get(4)).isInstanceOf(BigIntegerNode.class);
    assertThat(value.get(4).bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(64));
    assertThat(Double.doubleToRawLongBits(value.get(5).doubleValue()))
        .as("negative zero survives parsing")
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void keepsObjectKeysInDocumentOrder() {
    JsonNode value = CanonicalJson.parse("{\"b\":1,\"a\":2}");

    assertThat(value.propertyNames()).containsExactly("b", "a");
  }
}
