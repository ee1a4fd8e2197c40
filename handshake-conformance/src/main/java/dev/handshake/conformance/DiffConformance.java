package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET {prefix}/diff/<sid>}: hpp.md §2.3.5, §2.6, §3 item 9, checklist 17, 18. */
public abstract class DiffConformance extends HppConformanceBase {

  /** One request setting {@code n} default-mode keys {@code k<from>..k<from+n-1>}. */
  static String manySets(int from, int n) {
    StringBuilder sb = new StringBuilder("{\"actions\":[");
    for (int i = from; i < from + n; i++) {
      sb.append(i == from ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":").append(i).append('}');
    }
    return sb.append("]}").toString();
  }

  static List<String> changedKeys(JsonNode diff) {
    List<String> out = new ArrayList<>();
    diff.get("changes").forEach(c -> out.add(c.get("key").asString()));
    return out;
  }

  static String at(JsonNode diff, String key) {
    for (JsonNode c : diff.get("changes")) {
      if (c.get("key").asString().equals(key)) {
        return c.get("at").asString();
      }
    }
    throw new AssertionError("no change for " + key + " in " + diff);
  }

  @BothProfiles
  @DisplayName("4.17 [both] diff shape {sessionId, since, changes}; since echoed, \"\" if absent; entries {key, from, to, by, at}")
  void diffShape(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    ObjectNode empty = s.diffOk(b, "");
    assertThat(keys(empty)).containsExactlyInAnyOrder("sessionId", "since", "changes");
    assertThat(empty.get("sessionId").asString()).isEqualTo(b.sid());
    assertThat(empty.get("since").asString()).as("since absent → \"\"").isEmpty();
    assertThat(empty.get("changes")).as("the initial context is not logged").isEqualTo(json("[]"));
    s.actionOk(b, "{\"actions\":[{\"key\":\"a\",\"value\":{\"x\":[1]}}]}");
    String since = "2000-01-01T00:00:00+00:00";
    ObjectNode d = s.diffOk(b, "since=" + HppServer.urlEncode(since));
    assertThat(d.get("since").asString()).as("since echoed").isEqualTo(since);
    JsonNode c = d.get("changes").get(0);
    assertThat(keys(c)).as("change entry keys (seq is our additive field)").contains("key", "from", "to", "by", "at");
    assertThat(keys(c)).isSubsetOf("key", "from", "to", "by", "at", "seq");
    assertThat(c.get("to")).isEqualTo(json("{\"x\":[1]}"));
    assertThat(c.get("from").isNull()).isTrue();
    assertThat(c.get("by").asString()).isEqualTo("agent");
    assertThat(c.get("at").asString()).matches(AT_PATTERN);
  }

  @BothProfiles
  @DisplayName("4.17 [both] without since the last 50 entries are returned; at most 200 are retained")
  void last50AndRetention(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    s.actionOk(b, manySets(0, 250));
    List<String> last = changedKeys(s.diffOk(b, ""));
    assertThat(last).as("no since → last 50").hasSize(50);
    assertThat(last.get(0)).isEqualTo("k200");
    assertThat(last.get(49)).isEqualTo("k249");
    List<String> all = changedKeys(s.diffOk(b, "since=" + HppServer.urlEncode("2000-01-01T00:00:00+00:00")));
    assertThat(all).as("only the last 200 are retained").hasSize(200);
    assertThat(all.get(0)).isEqualTo("k50");
  }

  @BothProfiles
  @DisplayName("4.17 [both] since=<at of change X> returns strictly later entries only")
  void sinceIsStrict(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    s.actionOk(b, "{\"actions\":[{\"key\":\"x\",\"value\":1}]}");
    advance(Duration.ofMillis(1500));
    s.actionOk(b, "{\"actions\":[{\"key\":\"y\",\"value\":2}]}");
    advance(Duration.ofSeconds(1));
    s.notifyOk(b, "{\"key\":\"z\",\"value\":3}");
    JsonNode full = s.diffOk(b, "");
    String atX = at(full, "x");
    String atZ = at(full, "z");
    assertThat(changedKeys(s.diffOk(b, "since=" + HppServer.urlEncode(atX)))).containsExactly("y", "z");
    assertThat(changedKeys(s.diffOk(b, "since=" + HppServer.urlEncode(atZ)))).as("nothing after the last").isEmpty();
  }

  @BothProfiles
  @DisplayName("4.17 [both] by is ai/user/user_edit in form-fill with from = previous value; agent/user with from:null in default mode")
  void byValues(Profile profile) {
    HppServer s = start(profile);
    BrowserSession f = s.formFill("[{\"key\":\"a\"},{\"key\":\"b\"}]", "{\"b\":\"init\"}");
    s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"ai\"}]}");
    s.notifyOk(f, "{\"key\":\"a\",\"value\":\"fixed\"}");
    s.notifyOk(f, "{\"key\":\"b\",\"value\":\"mine\"}");
    JsonNode fc = s.diffOk(f, "").get("changes");
    assertThat(fc).hasSize(3);
    assertThat(fc.get(0).get("by").asString()).isEqualTo("ai");
    assertThat(fc.get(0).get("from").isNull()).isTrue();
    assertThat(fc.get(1).get("by").asString()).isEqualTo("user_edit");
    assertThat(fc.get(1).get("from").asString()).as("from = previous value").isEqualTo("ai");
    assertThat(fc.get(1).get("to").asString()).isEqualTo("fixed");
    assertThat(fc.get(2).get("by").asString()).isEqualTo("user");
    assertThat(fc.get(2).get("from").asString()).isEqualTo("init");

    BrowserSession d = s.createSession("{\"data\":{\"k\":\"old\"}}");
    s.actionOk(d, "{\"actions\":[{\"key\":\"k\",\"value\":\"agent\"}]}");
    s.notifyOk(d, "{\"key\":\"k\",\"value\":\"user\"}");
    JsonNode dc = s.diffOk(d, "").get("changes");
    assertThat(dc).hasSize(2);
    assertThat(dc.get(0).get("by").asString()).isEqualTo("agent");
    assertThat(dc.get(0).get("from").asString()).isEqualTo("old");
    assertThat(dc.get(1).get("by").asString()).isEqualTo("user");
    assertThat(dc.get(1).get("from").isNull()).as("default-mode user entries have from:null").isTrue();
  }

  @BothProfiles
  @DisplayName("4.17 [both] rejected and invalid writes are not logged")
  void rejectedNotLogged(Profile profile) {
    HppServer s = start(profile);
    BrowserSession f = s.formFill("[{\"key\":\"n\",\"type\":\"int\"},{\"key\":\"u\"}]", "{\"u\":\"user\"}");
    s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"n\",\"value\":\"x\"},"
        + "{\"type\":\"set\",\"key\":\"u\",\"value\":\"ai\"},{\"type\":\"drop\",\"key\":\"n\"},{\"type\":\"set\"}]}");
    assertThat(s.diffOk(f, "").get("changes")).isEqualTo(json("[]"));
  }

  @Test
  @DisplayName("4.18 [ours] since with another UTC offset (same instant) returns the same entries as the UTC form")
  void sinceIsAnInstant() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    s.actionOk(b, "{\"actions\":[{\"key\":\"x\",\"value\":1}]}");
    advance(Duration.ofSeconds(2));
    s.actionOk(b, "{\"actions\":[{\"key\":\"y\",\"value\":2}]}");
    String atX = at(s.diffOk(b, ""), "x");
    assertThat(atX).as("the clock's instant in UTC").isEqualTo("2026-06-23T02:22:00.250000+00:00");
    for (String same : new String[] {atX, "2026-06-23T10:22:00.250+08:00", "2026-06-23T02:22:00.250Z", "2026-06-22T21:22:00.25-05:00"}) {
      assertThat(changedKeys(s.diffOk(b, "since=" + HppServer.urlEncode(same)))).as("since=%s", same).containsExactly("y");
    }
    assertError(s.diff(b, "since=yesterday"), 400, "invalid since");
  }

  @Test
  @DisplayName("4.18 [ours] every change has an increasing integer seq and sinceSeq=<n> returns later entries")
  void seqCursor() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    s.actionOk(b, manySets(0, 3));
    s.notifyOk(b, "{\"key\":\"u\",\"value\":1}");
    JsonNode changes = s.diffOk(b, "").get("changes");
    long prev = Long.MIN_VALUE;
    for (JsonNode c : changes) {
      assertThat(c.get("seq").isIntegralNumber()).as("seq is an integer: %s", c).isTrue();
      assertThat(c.get("seq").asLong()).as("seq increases").isGreaterThan(prev);
      prev = c.get("seq").asLong();
    }
    long second = changes.get(1).get("seq").asLong();
    assertThat(changedKeys(s.diffOk(b, "sinceSeq=" + second))).containsExactly("k2", "u");
    assertThat(changedKeys(s.diffOk(b, "sinceSeq=" + prev))).isEmpty();
    assertThat(changedKeys(s.diffOk(b, "sinceSeq=0"))).hasSize(4);
    assertError(s.diff(b, "sinceSeq=abc"), 400, "invalid sinceSeq");
  }

  @Test
  @DisplayName("§2.6 [ref] since is compared as a string, as the reference does (another offset for the same instant returns [])")
  void referenceComparesStrings() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = s.defaultSession();
    s.actionOk(b, "{\"actions\":[{\"key\":\"x\",\"value\":1}]}");
    advance(Duration.ofSeconds(1));
    s.actionOk(b, "{\"actions\":[{\"key\":\"y\",\"value\":2}]}");
    assertThat(changedKeys(s.diffOk(b, "since=" + HppServer.urlEncode("2026-06-23T10:22:00.250+08:00")))).isEmpty();
    assertThat(changedKeys(s.diffOk(b, "since=zzz"))).isEmpty();
    assertThat(changedKeys(s.diffOk(b, "since=2026"))).containsExactly("x", "y");
  }
}
