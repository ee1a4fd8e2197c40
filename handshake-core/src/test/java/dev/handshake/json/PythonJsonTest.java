package dev.handshake.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Sha256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link PythonJson} reproduces the reference's bytes (aiss.md §2.3, §2.5, §2.6, §5). */
class PythonJsonTest {
  private static final JsonNodeFactory NODES = Json.nodes();
  private static final byte[] CHAIN_BYTES = VectorFiles.bytes("/vectors/aiss/chain.json");
  private static final JsonNode CHAIN = CanonicalJson.parse(CHAIN_BYTES);
  private static final JsonNode VECTORS = VectorFiles.json("/vectors/aiss/vectors.json");
  private static final JsonNode SESSION = VectorFiles.json("/vectors/aiss/session.json");

  /** The inputs behind vectors.json {@code canonicalization_quirks}, by case name. */
  private static final Map<String, JsonNode> QUIRK_INPUTS =
      Map.of(
          "whole float 100.0", NODES.numberNode(100.0),
          "1e-7", NODES.numberNode(1e-7),
          "1e16 as float", NODES.numberNode(1e16),
          "-0.0", NODES.numberNode(-0.0),
          "int 2**64", NODES.numberNode(BigInteger.TWO.pow(64)),
          "150.25", NODES.numberNode(150.25),
          "key order U+E000 vs U+1F600",
          CanonicalJson.parse("{\"\\ue000\": 1, \"\\ud83d\\ude00\": 2}"));

  private static JsonNode withoutSignature(JsonNode message) {
    ObjectNode copy = (ObjectNode) message.deepCopy();
    copy.remove("signature");
    return copy;
  }

  @Test
  void reproducesBothColumnsOfEveryCanonicalizationQuirk() {
    JsonNode quirks = VECTORS.path("canonicalization_quirks");
    assertThat(quirks.size()).isEqualTo(QUIRK_INPUTS.size());
    for (JsonNode quirk : quirks) {
      String name = quirk.path("case").stringValue();
      JsonNode input = QUIRK_INPUTS.get(name);
      assertThat(input).as("input for case %s", name).isNotNull();
      assertThat(PythonJson.canonicalString(input))
          .as("piqrypt column of %s", name)
          .isEqualTo(quirk.path("piqrypt").stringValue());
      assertThat(CanonicalJson.canonicalString(input))
          .as("rfc8785 column of %s", name)
          .isEqualTo(quirk.path("rfc8785").stringValue());
    }
  }

  @Test
  void reproducesTheSigningInputAndHashOfEveryChainEvent() {
    JsonNode events = CHAIN.path("events");
    JsonNode details = VECTORS.path("chain_events_detail");
    assertThat(events.size()).isEqualTo(details.size()).isEqualTo(4);
    for (int i = 0; i < events.size(); i++) {
      JsonNode unsigned = withoutSignature(events.get(i));

      assertThat(PythonJson.canonicalString(unsigned))
          .as("signing input of event %d", i)
          .isEqualTo(details.get(i).path("signing_input_canonical_utf8").stringValue());
      assertThat(Sha256.hex(PythonJson.canonicalize(unsigned)))
          .as("hash of event %d", i)
          .isEqualTo(details.get(i).path("event_hash").stringValue());
    }
  }

  @Test
  void reproducesTheA2aProposalHashInput() {
    JsonNode a2a = VECTORS.path("a2a");
    JsonNode proposal = withoutSignature(a2a.path("proposal"));

    String canonical = PythonJson.canonicalString(proposal);

    assertThat(canonical).isEqualTo(a2a.path("proposal_hash_input_canonical").stringValue());
    assertThat(Sha256.hex(canonical))
        .isEqualTo(a2a.path("response").path("proposal_hash").stringValue());
  }

  @Test
  void reproducesTheExternalInteractionHashInput() {
    JsonNode a2a = VECTORS.path("a2a");
    ObjectNode interaction = Json.object().put("prompt_hash", "ab").put("n", 1);

    String dumped = PythonJson.dumpsSortedAscii(interaction);

    assertThat(dumped).isEqualTo(a2a.path("external_interaction_hash_input").stringValue());
    assertThat(Sha256.hex(dumped))
        .isEqualTo(
            a2a.path("external_interaction_event").path("payload").path("interaction_hash")
                .stringValue());
  }

  @Test
  void sortedAsciiDumpEscapesNonAsciiAsUtf16UnitsAndSortsByCodePoint() {
    JsonNode value =
        CanonicalJson.parse(
            "{\"b\": \"\\u00e9\\ud83d\\ude00\\u007f\\u0001\", \"a\": [1.5, true, null],"
                + " \"\\ue000\": 1, \"\\ud83d\\ude00\": 2}");

    assertThat(PythonJson.dumpsSortedAscii(value))
        .isEqualTo(
            "{\"a\": [1.5, true, null], \"b\": \"\\u00e9\\ud83d\\ude00\\u007f\\u0001\","
                + " \"\\ue000\": 1, \"\\ud83d\\ude00\": 2}");
  }

  @Test
  void indentedDumpReproducesTheChainExportByteForByte() {
    String file = new String(CHAIN_BYTES, StandardCharsets.UTF_8);

    assertThat(file).as("the export ends without a newline").endsWith("}");
    assertThat(PythonJson.dumpsIndented(CHAIN, 2)).isEqualTo(file);
  }

  @Test
  void indentedDumpWritesEmptyContainersInlineAndNestsLikePython() {
    JsonNode value =
        CanonicalJson.parse("{\"a\": [], \"b\": {}, \"c\": [1, {\"d\": null}], \"e\": \"x\"}");

    assertThat(PythonJson.dumpsIndented(value, 2))
        .isEqualTo(
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": null\n    }\n"
                + "  ],\n  \"e\": \"x\"\n}");
    assertThat(PythonJson.dumpsIndented(value, 0))
        .isEqualTo(
            "{\n\"a\": [],\n\"b\": {},\n\"c\": [\n1,\n{\n\"d\": null\n}\n],\n\"e\": \"x\"\n}");
    assertThat(PythonJson.dumpsIndented(CanonicalJson.parse("[[]]"), 2)).isEqualTo("[\n  []\n]");
    assertThat(PythonJson.dumpsIndented(CanonicalJson.parse("1.0"), 2)).isEqualTo("1.0");
  }

  @Test
  void canonicalFormRefusesNonFiniteFloats() {
    ObjectNode value = Json.object().put("x", Double.POSITIVE_INFINITY);

    assertThatThrownBy(() -> PythonJson.canonicalize(value))
        .isInstanceOf(CanonicalJsonException.class)
        .hasMessageContaining("$.x");
  }

  @Test
  void strOfSessionPayloadValuesHashesToTheAutoHashedFields() {
    JsonNode delegation = SESSION.path("stored_events").get(4).path("payload");
    JsonNode completed = SESSION.path("stored_events").get(6).path("payload");

    assertThat(Sha256.hex(PythonJson.str(NODES.booleanNode(true))))
        .isEqualTo(Sha256.hex("True"))
        .isEqualTo(delegation.path("flag_hash").stringValue());
    assertThat(Sha256.hex(PythonJson.str(CanonicalJson.parse("{\"max\": 1.0}"))))
        .isEqualTo(delegation.path("limits_hash").stringValue());
    assertThat(Sha256.hex(PythonJson.str(NODES.nullNode())))
        .isEqualTo(delegation.path("nothing_hash").stringValue());
    assertThat(Sha256.hex(PythonJson.str(NODES.numberNode(1240))))
        .isEqualTo(completed.path("duration_ms_hash").stringValue());
  }

  @ParameterizedTest(name = "str({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "true|True",
        "false|False",
        "null|None",
        "{\"max\": 1.0}|{'max': 1.0}",
        "\"it's\"|it's",
        "42|42",
        "12345678901234567890123|12345678901234567890123",
        "-0.0|-0.0",
        "1e16|1e+16",
        "{\"max\": 1.0, \"n\": [1, 2.5e-05, 1e+16], \"t\": true}"
            + "|{'max': 1.0, 'n': [1, 2.5e-05, 1e+16], 't': True}",
        "[\"it's\", \"a\\\"b'c\", \"tab\\there\", \"back\\\\slash\"]"
            + "|[\"it's\", 'a\"b\\'c', 'tab\\there', 'back\\\\slash']",
        "{\"b\": 1, \"a\": [{}]}|{'b': 1, 'a': [{}]}"
      })
  void strMatchesPython(String json, String expected) {
    assertThat(PythonJson.str(CanonicalJson.parse(json))).isEqualTo(expected);
  }

  @Test
  void strEscapesNonPrintableCharactersInNestedStringsLikePython() {
    JsonNode value =
        CanonicalJson.parse(
            "[\"\\u00e9\\u00a0\\u00ad\\u0085\\u007f\\u0000\", \"\\ud83d\\ude00\\udb80\\udc00\","
                + " \"\\u2028\\u3000 \\u0301\"]");

    assertThat(PythonJson.str(value))
        .isEqualTo("['é\\xa0\\xad\\x85\\x7f\\x00', '😀\\U000f0000', '\\u2028\\u3000 \u0301']");
  }

  @Test
  void strOfATopLevelStringIsTheStringItself() {
    assertThat(PythonJson.str(NODES.stringNode("a'b\n"))).isEqualTo("a'b\n");
    assertThat(PythonJson.repr(NODES.stringNode("a'b\n"))).isEqualTo("\"a'b\\n\"");
  }

  /** Input and outputs produced by CPython 3 {@code json.dumps} (values in insertion order). */
  private static final String PQZ_INPUT =
      "{\"b\":[1,2.5,{\"x\":\"\u00e9\u4e2d\ud83d\ude00\\n\\\"q\\\"\"}],\"a\":null,\"t\":true,"
          + "\"e\":{},\"l\":[],\"f\":1e-07,\"h\":100.0}";

  @Test
  void dumpsIndentedAsciiIsPythonDumpsWithIndentAndEnsureAscii() {
    assertThat(PythonJson.dumpsIndentedAscii(CanonicalJson.parse(PQZ_INPUT), 2))
        .isEqualTo(
            "{\n  \"b\": [\n    1,\n    2.5,\n    {\n      \"x\": "
                + "\"\\u00e9\\u4e2d\\ud83d\\ude00\\n\\\"q\\\"\"\n    }\n  ],\n  \"a\": null,\n"
                + "  \"t\": true,\n  \"e\": {},\n  \"l\": [],\n  \"f\": 1e-07,\n  \"h\": 100.0\n}");
  }

  @Test
  void dumpsDefaultIsPythonDumpsWithEveryDefault() {
    assertThat(PythonJson.dumpsDefault(CanonicalJson.parse(PQZ_INPUT)))
        .isEqualTo(
            "{\"b\": [1, 2.5, {\"x\": \"\\u00e9\\u4e2d\\ud83d\\ude00\\n\\\"q\\\"\"}], \"a\": null,"
                + " \"t\": true, \"e\": {}, \"l\": [], \"f\": 1e-07, \"h\": 100.0}");
  }
}
