package dev.handshake.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The type table of hpp.md §2.7. */
class FieldRulesTest {
  @ParameterizedTest(name = "{1} accepts {0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"x\"|string|true",
        "5|string|false",
        "\"x\"|str|true",
        "5|int|true",
        "\"5\"|int|false",
        "true|int|false",
        "3.0|int|false",
        "5|float|true",
        "5.5|number|true",
        "true|float|false",
        "true|bool|true",
        "0|bool|false",
        "\"2026-01-01T10:00:00junk\"|datetime|true",
        "\"2026-01-01 10:00:00\"|datetime|true",
        "\"2026-01-01\"|datetime|false",
        "\"٢٠٢٦-٠١-٠١T١٠:٠٠:٠٠\"|datetime|true",
        "[1]|array<string>|true",
        "\"[1]\"|array|false",
        "null|string|false",
        "null|int|false",
        "{}|object|true",
        "\"x\"|date|true"
      })
  void referenceTypeRules(String value, String type, boolean accepted) {
    var v = Json.tryParse(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
    assertThat(FieldRules.typeMatches(v, type)).isEqualTo(accepted);
  }
}
