package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** trusthandoff.md §4 item 5: decisions and their sanitised 0.3.1 details. */
class DecisionDetailsTest {
  private static Decision withDetails(Map<String, ?> details) {
    return Decision.detailed("pk-1", Decision.Verdict.REJECT, Optional.of("expired"), details);
  }

  private static ObjectNode details(Map<String, ?> details) {
    return withDetails(details).details().orElseThrow();
  }

  @Test
  @DisplayName("item 5: a decision holds packet_id, decision and reason")
  void item5_decisionHoldsItsFields() {
    Decision d = Decision.accept("pk_decision_001", Reasons.ACCEPTED);

    assertThat(d.packetId()).isEqualTo("pk_decision_001");
    assertThat(d.verdict()).isEqualTo(Decision.Verdict.ACCEPT);
    assertThat(d.reason()).contains("Packet verified and valid");
    assertThat(d.details()).isEmpty();
  }

  @Test
  @DisplayName("item 5: without details toJson keeps the exact 0.2.3 object")
  void item5_withoutDetailsTheJsonIsThe023Shape() {
    assertThat(Json.text(Decision.reject("pk-1", Reasons.EXPIRED).toJson()))
        .isEqualTo("{\"packet_id\":\"pk-1\",\"decision\":\"REJECT\",\"reason\":\"expired\"}");
    assertThat(Json.text(new Decision("pk-1", Decision.Verdict.ACCEPT, Optional.empty()).toJson()))
        .isEqualTo("{\"packet_id\":\"pk-1\",\"decision\":\"ACCEPT\",\"reason\":null}");
  }

  @Test
  @DisplayName("item 5: a string over 256 characters keeps 256 plus \"...\" (259 in all)")
  void item5_longStringsAreTruncated() {
    ObjectNode d = details(Map.of("message", "x".repeat(300), "short", "x".repeat(256)));

    assertThat(d.path("message").stringValue()).hasSize(259).isEqualTo("x".repeat(256) + "...");
    assertThat(d.path("short").stringValue()).isEqualTo("x".repeat(256));
  }

  @Test
  @DisplayName("item 5: strings are measured in characters (code points), as Python does")
  void item5_truncationCountsCodePoints() {
    String emoji = "😀".repeat(300);

    String kept = details(Map.of("m", emoji)).path("m").stringValue();

    assertThat(kept).isEqualTo("😀".repeat(256) + "...");
  }

  @Test
  @DisplayName("item 5: bytes become <bytes:hex...> of at most their first 32 bytes")
  void item5_bytesArePreviewedAsHex() {
    byte[] long40 = new byte[40];
    for (int i = 0; i < long40.length; i++) {
      long40[i] = (byte) i;
    }

    ObjectNode d = details(Map.of("blob", "abcdef".getBytes(), "long", long40));

    assertThat(d.path("blob").stringValue()).isEqualTo("<bytes:616263646566...>");
    assertThat(d.path("long").stringValue())
        .isEqualTo(
            "<bytes:" + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f...>");
  }

  @Test
  @DisplayName("item 5: values at depth 4 become <max_depth_reached>")
  void item5_depthIsLimitedToFour() {
    JsonNode d =
        details(Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", "too_deep"))))));

    assertThat(d.path("a").path("b").path("c").path("d").stringValue())
        .isEqualTo("<max_depth_reached>");
  }

  @Test
  @DisplayName("item 5: a list keeps 20 items and then the item <truncated>")
  void item5_largeListsAreTruncated() {
    List<Integer> thirty = IntStream.range(0, 30).boxed().toList();

    JsonNode items = details(Map.of("items", thirty)).path("items");

    assertThat(items.size()).isEqualTo(21);
    assertThat(items.get(19).intValue()).isEqualTo(19);
    assertThat(items.get(20).stringValue()).isEqualTo("<truncated>");
  }

  @Test
  @DisplayName("item 5: an object keeps 20 members and then <truncated>: true")
  void item5_largeObjectsAreTruncated() {
    Map<String, Integer> thirty = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      thirty.put("k" + i, i);
    }

    ObjectNode d = details(thirty);

    assertThat(d.size()).isEqualTo(21);
    assertThat(d.path("k19").intValue()).isEqualTo(19);
    assertThat(d.has("k20")).isFalse();
    assertThat(d.path("<truncated>").booleanValue()).isTrue();
  }

  @Test
  @DisplayName("item 5: keys become Python str() capped at 128 characters plus \"...\"")
  void item5_keysAreStringifiedAndCapped() {
    Map<Object, Object> inner = new LinkedHashMap<>();
    inner.put(true, 1);
    inner.put(null, 2);
    inner.put(7, 3);
    inner.put("k".repeat(200), 4);

    JsonNode d = details(Map.of("inner", inner)).path("inner");

    assertThat(d.propertyNames()).containsExactly("True", "None", "7", "k".repeat(128) + "...");
  }

  @Test
  @DisplayName("item 5: the details are JSON-safe: unsupported values named, floats kept, NaN null")
  void item5_detailsAreJsonSafe() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("agents", List.of("a", "b"));
    raw.put("blob", "abcdef".getBytes());
    raw.put("obj", new Object());
    raw.put("ratio", 0.5);
    raw.put("nan", Double.NaN);
    raw.put("flag", false);
    raw.put("none", null);
    Decision d = withDetails(raw);

    String text = Json.text(d.toJson());
    JsonNode back = CanonicalJson.parse(text);

    assertThat(back.path("details").path("agents").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(back.path("details").path("blob").stringValue()).startsWith("<bytes:");
    assertThat(back.path("details").path("obj").stringValue()).isEqualTo("<unsupported:Object>");
    assertThat(back.path("details").path("ratio").doubleValue()).isEqualTo(0.5);
    assertThat(back.path("details").path("nan").isNull()).isTrue();
    assertThat(back.path("details").path("none").isNull()).isTrue();
  }

  @Test
  @DisplayName("item 5: JSON round trip gives the same decision (sanitising is idempotent)")
  void item5_jsonRoundTripIsStable() throws Exception {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("message", "y".repeat(400));
    raw.put("items", new ArrayList<>(IntStream.range(0, 25).boxed().toList()));
    raw.put("deep", Map.of("b", Map.of("c", Map.of("d", "x"))));
    Decision d = withDetails(raw);

    Decision back = Decision.fromJson(CanonicalJson.parse(Json.text(d.toJson())));

    assertThat(back).isEqualTo(d);
    assertThat(Json.text(back.toJson())).isEqualTo(Json.text(d.toJson()));
  }

  @Test
  @DisplayName("item 5: a decision is frozen: details are handed out as copies")
  void item5_decisionIsFrozen() {
    Decision d = withDetails(Map.of("a", 1));

    d.details().orElseThrow().put("a", 2);
    d.toJson().withObjectProperty("details").put("a", 3);

    assertThat(d.details().orElseThrow().path("a").intValue()).isEqualTo(1);
  }

  @Test
  @DisplayName("item 5: extra fields are forbidden when reading a decision")
  void item5_extraFieldsAreForbidden() {
    JsonNode json =
        CanonicalJson.parse(
            "{\"packet_id\":\"pk-1\",\"decision\":\"ACCEPT\",\"reason\":\"ok\",\"secret\":\"x\"}");

    assertThatThrownBy(() -> Decision.fromJson(json))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("secret");
  }

  @Test
  @DisplayName("item 5: the 0.3.1 model_dump_json form (nulls for details and attestation) reads")
  void item5_reads031DumpWithNulls() throws Exception {
    JsonNode json =
        CanonicalJson.parse(
            "{\"packet_id\":\"pk-1\",\"decision\":\"REJECT\",\"reason\":\"expired\","
                + "\"details\":null,\"execution_attestation\":null}");

    assertThat(Decision.fromJson(json)).isEqualTo(Decision.reject("pk-1", "expired"));
  }

  @Test
  @DisplayName(
      "item 5: the reader refuses bad verdicts, wrong types and an attestation it cannot hold")
  void item5_readerRefusesWrongShapes() {
    for (String bad :
        new String[] {
          "{\"decision\":\"ACCEPT\"}",
          "{\"packet_id\":\"p\",\"decision\":\"MAYBE\"}",
          "{\"packet_id\":\"p\",\"decision\":\"ACCEPT\",\"reason\":5}",
          "{\"packet_id\":\"p\",\"decision\":\"ACCEPT\",\"details\":[1]}",
          "{\"packet_id\":\"p\",\"decision\":\"ACCEPT\",\"execution_attestation\":{}}"
        }) {
      assertThatThrownBy(() -> Decision.fromJson(CanonicalJson.parse(bad)))
          .as(bad)
          .isInstanceOf(MalformedPacketException.class);
    }
  }

  @Test
  @DisplayName("item 5: reason is limited to 256 characters")
  void item5_reasonIsLimitedTo256Characters() {
    String max = "r".repeat(256);
    JsonNode tooLong =
        Json.object().put("packet_id", "p").put("decision", "REJECT").put("reason", max + "r");

    assertThat(Decision.reject("p", max).reason()).contains(max);
    assertThatThrownBy(() -> Decision.reject("p", max + "r"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Decision.fromJson(tooLong))
        .isInstanceOf(MalformedPacketException.class);
  }
}
