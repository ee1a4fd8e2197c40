package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST {prefix}/action/<sid>}: hpp.md §2.3.3, §2.7 and checklist items 8–11, 13. */
public abstract class ActionConformance extends HppConformanceBase {

  static final String TYPED_SCHEMA =
      "[{\"key\":\"i_str\",\"type\":\"int\"},{\"key\":\"i_bool\",\"type\":\"int\"},"
          + "{\"key\":\"i_float\",\"type\":\"int\"},{\"key\":\"i_ok\",\"type\":\"integer\"},"
          + "{\"key\":\"f_int\",\"type\":\"float\"},{\"key\":\"f_bool\",\"type\":\"number\"},"
          + "{\"key\":\"b_zero\",\"type\":\"bool\"},{\"key\":\"b_ok\",\"type\":\"boolean\"},"
          + "{\"key\":\"dt_junk\",\"type\":\"datetime\"},{\"key\":\"dt_space\",\"type\":\"datetime\"},"
          + "{\"key\":\"dt_date\",\"type\":\"datetime\"},{\"key\":\"arr\",\"type\":\"array<string>\"},"
          + "{\"key\":\"arr_bad\",\"type\":\"array\"},{\"key\":\"s_null\",\"type\":\"string\"},"
          + "{\"key\":\"s_untyped\"},{\"key\":\"s_ok\",\"type\":\"str\"},{\"key\":\"other\",\"type\":\"date\"},"
          + "{\"key\":\"e_bad\",\"type\":\"enum\",\"options\":[{\"value\":\"low\"},{\"value\":\"high\"}]},"
          + "{\"key\":\"e_ok\",\"type\":\"enum\",\"options\":[{\"value\":\"low\"},{\"value\":\"high\"}]},"
          + "{\"key\":\"e_mixed\",\"type\":\"enum\",\"options\":[{\"value\":1},{\"value\":true},{\"value\":null},{\"value\":\"it's\"}]},"
          + "{\"key\":\"e_free\",\"type\":\"enum\",\"options\":[]}]";

  static final String TYPED_ACTIONS =
      "{\"intervalMs\":0,\"actions\":["
          + "{\"type\":\"set\",\"key\":\"i_str\",\"value\":\"5\"},"
          + "{\"type\":\"set\",\"key\":\"i_bool\",\"value\":true},"
          + "{\"type\":\"set\",\"key\":\"i_float\",\"value\":3.0},"
          + "{\"type\":\"set\",\"key\":\"i_ok\",\"value\":7},"
          + "{\"type\":\"set\",\"key\":\"f_int\",\"value\":5},"
          + "{\"type\":\"set\",\"key\":\"f_bool\",\"value\":false},"
          + "{\"type\":\"set\",\"key\":\"b_zero\",\"value\":0},"
          + "{\"type\":\"set\",\"key\":\"b_ok\",\"value\":true},"
          + "{\"type\":\"set\",\"key\":\"dt_junk\",\"value\":\"2026-01-01T10:00:00junk\"},"
          + "{\"type\":\"set\",\"key\":\"dt_space\",\"value\":\"2026-01-01 10:00:00\"},"
          + "{\"type\":\"set\",\"key\":\"dt_date\",\"value\":\"2026-01-01\"},"
          + "{\"type\":\"set\",\"key\":\"arr\",\"value\":[1]},"
          + "{\"type\":\"set\",\"key\":\"arr_bad\",\"value\":\"x\"},"
          + "{\"type\":\"set\",\"key\":\"s_null\",\"value\":null},"
          + "{\"type\":\"set\",\"key\":\"s_untyped\",\"value\":5},"
          + "{\"type\":\"set\",\"key\":\"s_ok\",\"value\":\"ok\"},"
          + "{\"type\":\"set\",\"key\":\"other\",\"value\":12},"
          + "{\"type\":\"set\",\"key\":\"e_bad\",\"value\":\"mid\"},"
          + "{\"type\":\"set\",\"key\":\"e_ok\",\"value\":\"high\"},"
          + "{\"type\":\"set\",\"key\":\"e_mixed\",\"value\":2},"
          + "{\"type\":\"set\",\"key\":\"e_free\",\"value\":\"anything\"}]}";

  @BothProfiles
  @DisplayName("4.8 [both] type checks follow the reference rules with the exact error entries")
  void typeChecks(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill(TYPED_SCHEMA, "{}");
    ObjectNode r = s.actionOk(b, TYPED_ACTIONS);
    assertThat(strings(r.get("applied")))
        .as("accepted writes")
        .containsExactly(
            "i_ok", "f_int", "b_ok", "dt_junk", "dt_space", "arr", "s_ok", "other", "e_ok", "e_free");
    assertThat(strings(r.get("rejected"))).as("validation failures are errors, not rejections").isEmpty();
    assertThat(r.get("errors"))
        .as("error entries {key, msg} with the reference messages")
        .isEqualTo(
            json(
                "["
                    + "{\"key\":\"i_str\",\"msg\":\"type mismatch, expected int\"},"
                    + "{\"key\":\"i_bool\",\"msg\":\"type mismatch, expected int\"},"
                    + "{\"key\":\"i_float\",\"msg\":\"type mismatch, expected int\"},"
                    + "{\"key\":\"f_bool\",\"msg\":\"type mismatch, expected number\"},"
                    + "{\"key\":\"b_zero\",\"msg\":\"type mismatch, expected bool\"},"
                    + "{\"key\":\"dt_date\",\"msg\":\"type mismatch, expected datetime\"},"
                    + "{\"key\":\"arr_bad\",\"msg\":\"type mismatch, expected array\"},"
                    + "{\"key\":\"s_null\",\"msg\":\"type mismatch, expected string\"},"
                    + "{\"key\":\"s_untyped\",\"msg\":\"type mismatch, expected string\"},"
                    + "{\"key\":\"e_bad\",\"msg\":\"value not in allowed options ['low', 'high']\"},"
                    + "{\"key\":\"e_mixed\",\"msg\":\"value not in allowed options [1, True, None, \\\"it's\\\"]\"}"
                    + "]"));
    JsonNode ctx = s.contextOk(b).get("context");
    assertThat(ctx.get("f_int").get("value").isIntegralNumber()).as("5 stays an integer").isTrue();
    assertThat(ctx.get("arr").get("value")).isEqualTo(json("[1]"));
    assertThat(ctx.get("i_ok").get("by").asString()).isEqualTo("ai");
    assertThat(ctx.has("i_str")).as("a failed write changes nothing").isFalse();
  }

  @BothProfiles
  @DisplayName("4.8 [both] enum values compare like Python: 1.0 and true both equal option 1")
  void enumPythonEquality(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b =
        s.formFill("[{\"key\":\"e\",\"type\":\"enum\",\"options\":[{\"value\":1},{\"value\":\"x\"}]}]", "{}");
    ObjectNode r =
        s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"e\",\"value\":1.0},"
            + "{\"type\":\"set\",\"key\":\"e\",\"value\":true},{\"type\":\"set\",\"key\":\"e\",\"value\":\"1\"}]}");
    assertThat(strings(r.get("applied"))).containsExactly("e", "e");
    assertThat(r.get("errors"))
        .isEqualTo(json("[{\"key\":\"e\",\"msg\":\"value not in allowed options [1, 'x']\"}]"));
  }

  @Test
  @DisplayName("4.9 [ref] a key not in the schema is accepted without validation")
  void unknownKeyAcceptedInReference() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = s.formFill("[{\"key\":\"a\",\"type\":\"int\"}]", "{}");
    ObjectNode r = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"extra\",\"value\":[1,\"x\"]}]}");
    assertThat(strings(r.get("applied"))).containsExactly("extra");
    assertThat(r.get("errors")).isEqualTo(json("[]"));
    JsonNode extra = s.contextOk(b).get("context").get("extra");
    assertThat(extra.get("value")).isEqualTo(json("[1,\"x\"]"));
    assertThat(extra.get("by").asString()).isEqualTo("ai");
  }

  @Test
  @DisplayName("4.9 [ours] a key not in the schema is rejected with msg key not in schema")
  void unknownKeyRejectedByDefault() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.formFill("[{\"key\":\"a\",\"type\":\"int\"}]", "{}");
    ObjectNode r = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"extra\",\"value\":1},"
        + "{\"type\":\"set\",\"key\":\"a\",\"value\":2}]}");
    assertThat(strings(r.get("applied"))).containsExactly("a");
    assertThat(strings(r.get("rejected"))).containsExactly("extra");
    assertThat(r.get("errors")).isEqualTo(json("[{\"key\":\"extra\",\"msg\":\"key not in schema\"}]"));
    assertThat(s.contextOk(b).get("context").has("extra")).as("the unknown key was not written").isFalse();
  }

  @BothProfiles
  @DisplayName("4.10 [both] form-fill: unsupported or missing type → unsupported action type; missing key → missing key")
  void formFillActionErrors(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill("[{\"key\":\"a\"}]", "{}");
    ObjectNode r =
        s.actionOk(
            b,
            "{\"intervalMs\":0,\"actions\":[{\"type\":\"delete\",\"key\":\"a\"},{\"key\":\"a\",\"value\":\"v\"},"
                + "{\"type\":\"set\",\"value\":1},{\"type\":\"set\",\"key\":null,\"value\":2}]}");
    assertThat(strings(r.get("applied"))).isEmpty();
    assertThat(strings(r.get("rejected"))).isEmpty();
    assertThat(r.get("errors"))
        .as("error entries carry the original action")
        .isEqualTo(
            json(
                "[{\"action\":{\"type\":\"delete\",\"key\":\"a\"},\"msg\":\"unsupported action type\"},"
                    + "{\"action\":{\"key\":\"a\",\"value\":\"v\"},\"msg\":\"unsupported action type\"},"
                    + "{\"action\":{\"type\":\"set\",\"value\":1},\"msg\":\"missing key\"},"
                    + "{\"action\":{\"type\":\"set\",\"key\":null,\"value\":2},\"msg\":\"missing key\"}]"));
  }

  @BothProfiles
  @DisplayName("4.10 [both] default mode: unsupported type → unsupported action type: <type>; missing type means set; missing key → missing key")
  void defaultModeActionErrors(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    ObjectNode r =
        s.actionOk(
            b,
            "{\"actions\":[{\"type\":\"append\",\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2},"
                + "{\"value\":3},{\"type\":\"set\",\"key\":\"c\"}]}");
    assertThat(strings(r.get("applied"))).as("missing type means set").containsExactly("b", "c");
    assertThat(r.get("errors"))
        .isEqualTo(
            json(
                "[{\"action\":{\"type\":\"append\",\"key\":\"a\",\"value\":1},\"msg\":\"unsupported action type: append\"},"
                    + "{\"action\":{\"value\":3},\"msg\":\"missing key\"}]"));
    assertThat(s.contextOk(b).get("data")).as("an absent value is null").isEqualTo(json("{\"b\":2,\"c\":null}"));
  }

  @BothProfiles
  @DisplayName("4.11 [both] ok is true even when every action failed; missing and context only in form-fill responses")
  void okAlwaysTrueAndModeExtras(Profile profile) {
    HppServer s = start(profile);
    BrowserSession d = s.defaultSession();
    ObjectNode dr = s.actionOk(d, "{\"actions\":[{\"type\":\"nope\",\"key\":\"a\"}]}");
    assertThat(dr.get("ok").asBoolean()).as("ok with every action failed").isTrue();
    assertThat(dr.has("missing")).as("default mode has no missing").isFalse();
    assertThat(dr.has("context")).as("default mode has no context").isFalse();
    assertThat(keys(dr)).as("default-mode response keys").containsAll(java.util.List.of("ok", "applied", "rejected", "errors"));
    assertThat(dr.get("applied").isArray() && dr.get("rejected").isArray() && dr.get("errors").isArray()).isTrue();

    BrowserSession f = s.formFill("[{\"key\":\"n\",\"type\":\"int\",\"required\":true}]", "{}");
    ObjectNode fr = s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"n\",\"value\":\"x\"}]}");
    assertThat(fr.get("ok").asBoolean()).isTrue();
    assertThat(strings(fr.get("missing"))).containsExactly("n");
    assertThat(fr.get("context")).as("form-fill context in the action response").isEqualTo(s.contextOk(f).get("context"));
  }

  @BothProfiles
  @DisplayName("4.11 [both] the same key may appear more than once in applied")
  void repeatedKeyApplied(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    ObjectNode r = s.actionOk(b, "{\"actions\":[{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":2}]}");
    assertThat(strings(r.get("applied"))).containsExactly("a", "a");
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{\"a\":2}"));
  }

  @Test
  @DisplayName("4.13 [ref] form-fill blocks intervalMs × applied actions (including after the last); default mode never sleeps")
  void referencePacing() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession f = s.formFill("[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"c\",\"type\":\"int\"}]", "{}");
    long ms = timed(() -> s.actionOk(f, "{\"intervalMs\":150,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"1\"},"
        + "{\"type\":\"set\",\"key\":\"c\",\"value\":\"bad\"},{\"type\":\"set\",\"key\":\"b\",\"value\":\"2\"}]}"));
    assertThat(ms).as("2 applied × 150 ms, sleeping after the last too").isGreaterThanOrEqualTo(300).isLessThan(5000);

    BrowserSession d = s.defaultSession();
    long dms = timed(() -> s.actionOk(d, "{\"intervalMs\":1000,\"actions\":[{\"key\":\"a\",\"value\":1},"
        + "{\"key\":\"b\",\"value\":2},{\"key\":\"c\",\"value\":3}]}"));
    assertThat(dms).as("default mode never sleeps (3 × 1000 ms if it did)").isLessThan(2000);
  }

  @Test
  @DisplayName("4.13 [ours] intervalMs is clamped to 2000 and nothing sleeps after the last action")
  void intervalClamped() {
    HppServer s = start(Profile.DEFAULT);
    assertThat(s.config().maxIntervalMs()).as("default clamp").isEqualTo(2000);
    BrowserSession f = s.formFill("[{\"key\":\"a\"},{\"key\":\"b\"}]", "{}");
    long one = timed(() -> s.actionOk(f, "{\"intervalMs\":2000,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"1\"}]}"));
    assertThat(one).as("no pause after the only (last) action").isLessThan(1500);
    long two = timed(() -> s.actionOk(f, "{\"intervalMs\":600000,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"2\"},"
        + "{\"type\":\"set\",\"key\":\"b\",\"value\":\"3\"}]}"));
    assertThat(two).as("one pause of intervalMs clamped to 2000 ms").isGreaterThanOrEqualTo(2000).isLessThan(6000);
  }

  @Test
  @DisplayName("4.13 [ours] total pacing per request is capped (default 10 s; here scaled down to 600 ms)")
  void totalPacingCapped() {
    assertThat(SessionConfig.defaults().maxPacing()).as("default cap").contains(Duration.ofSeconds(10));
    HppServer s = start(SessionConfig.defaults().toBuilder().maxPacing(Optional.of(Duration.ofMillis(600))).build());
    StringBuilder schema = new StringBuilder("[");
    StringBuilder actions = new StringBuilder("{\"intervalMs\":250,\"actions\":[");
    for (int i = 0; i < 10; i++) {
      schema.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\"}");
      actions.append(i == 0 ? "" : ",").append("{\"type\":\"set\",\"key\":\"k").append(i).append("\",\"value\":\"v\"}");
    }
    BrowserSession f = s.formFill(schema.append("]").toString(), "{}");
    long[] applied = new long[1];
    long ms = timed(() -> applied[0] = s.actionOk(f, actions.append("]}").toString()).get("applied").size());
    assertThat(applied[0]).as("every action is still applied").isEqualTo(10);
    assertThat(ms).as("two 250 ms pauses fit under the 600 ms cap, nine would take 2250 ms")
        .isGreaterThanOrEqualTo(500).isLessThan(2000);
  }

  /** Milliseconds {@code call} took. */
  static long timed(Runnable call) {
    long t0 = System.nanoTime();
    call.run();
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
