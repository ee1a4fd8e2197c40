package dev.handshake.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class PythonValuesTest {
  private static JsonNode json(String s) {
    return Json.tryParse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
  }

  @ParameterizedTest(name = "repr({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[\"low\", \"high\"]|['low', 'high']",
        "[true, false, null]|[True, False, None]",
        "[1, 2.5, 100.0]|[1, 2.5, 100.0]",
        "[1e16, 1e-5, 0.0001, 123456789012345678]|[1e+16, 1e-05, 0.0001, 123456789012345678]",
        "[\"it's\"]|[\"it's\"]",
        "[\"a\\\"b'c\"]|['a\"b\\'c']",
        "[\"tab\\there\", \"é\"]|['tab\\there', 'é']",
        "[{\"a\": [1]}]|[{'a': [1]}]",
        "[-0.0, 1.5e300]|[-0.0, 1.5e+300]"
      })
  void reprMatchesPython(String input, String expected) {
    assertThat(PythonValues.repr(json(input))).isEqualTo(expected);
  }

  @Test
  void equalityFollowsPythonNumbers() {
    assertThat(PythonValues.equal(json("1"), json("1.0"))).as("1 == 1.0").isTrue();
    assertThat(PythonValues.equal(json("true"), json("1"))).as("True == 1").isTrue();
    assertThat(PythonValues.equal(json("\"1\""), json("1"))).as("'1' != 1").isFalse();
    assertThat(PythonValues.equal(json("null"), json("null"))).isTrue();
    assertThat(PythonValues.equal(json("[1,{\"a\":2}]"), json("[1.0,{\"a\":2}]"))).isTrue();
  }
}
