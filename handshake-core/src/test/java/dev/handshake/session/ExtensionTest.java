package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code extraSeconds} is coerced like Python's {@code int()} (hpp.md §2.3.6). */
class ExtensionTest {
  @ParameterizedTest(name = "int({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "120|120",
        "\"120\"|120",
        "\" 42 \"|42",
        "\"1_000\"|1000",
        "1.9|1",
        "-1.9|-1",
        "true|1",
        "\"abc\"|",
        "null|",
        "\"1.5\"|",
        "[1]|"
      })
  void pythonIntCoercion(String json, String expected) {
    var v = Json.tryParse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
    BigInteger got = Extension.pythonInt(v);
    if (expected == null) {
      assertThat(got).isNull();
    } else {
      assertThat(got).isEqualTo(new BigInteger(expected));
    }
  }
}
