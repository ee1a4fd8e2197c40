package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET {prefix}/context/<sid>}: hpp.md §2.3.2, §2.7 and checklist items 6, 7. */
public abstract class ContextConformance extends HppConformanceBase {

  static final String SCHEMA =
      "[{\"key\":\"name\",\"type\":\"string\",\"required\":true,\"label\":\"Name\",\"desc\":\"kept\"},"
          + "{\"key\":\"age\",\"type\":\"int\"},"
          + "{\"key\":\"level\",\"type\":\"enum\",\"options\":[{\"value\":\"low\",\"label\":\"L\"},{\"value\":\"high\"}]}]";

  @BothProfiles
  @DisplayName("4.6 [both] default-mode context has exactly sessionId, mode, data, meta, expiresIn")
  void defaultModeContextKeys(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.createSession("{\"data\":{\"title\":\"Trip\",\"n\":3},\"meta\":{\"m\":true}}");
    ObjectNode ctx = s.contextOk(b);
    assertJson(s.context(b));
    assertThat(keys(ctx)).as("context keys").containsExactlyInAnyOrder("sessionId", "mode", "data", "meta", "expiresIn");
    assertThat(ctx.get("sessionId").asString()).isEqualTo(b.sid());
    assertThat(ctx.get("mode").asString()).isEqualTo("default");
    assertThat(ctx.get("data")).isEqualTo(json("{\"title\":\"Trip\",\"n\":3}"));
    assertThat(ctx.get("meta")).isEqualTo(json("{\"m\":true}"));
    assertThat(ctx.get("expiresIn").isIntegralNumber()).as("expiresIn is an integer").isTrue();
    assertThat(ctx.get("expiresIn").asLong()).as("expiresIn right after a read").isBetween(1799L, 1800L);
  }

  @BothProfiles
  @DisplayName("4.6 [both] default mode: context wins over data; data is used when context is missing or empty")
  void defaultModeDataSource(Profile profile) {
    HppServer s = start(profile);
    BrowserSession both = s.createSession("{\"context\":{\"c\":1},\"data\":{\"d\":2}}");
    assertThat(s.contextOk(both).get("data")).isEqualTo(json("{\"c\":1}"));
    BrowserSession emptyContext = s.createSession("{\"context\":{},\"data\":{\"d\":2}}");
    assertThat(s.contextOk(emptyContext).get("data")).isEqualTo(json("{\"d\":2}"));
    BrowserSession none = s.createSession("{}");
    assertThat(s.contextOk(none).get("data")).isEqualTo(json("{}"));
    assertThat(s.contextOk(none).get("meta")).isEqualTo(json("{}"));
  }

  @BothProfiles
  @DisplayName("4.6 [both] form-fill context has exactly sessionId, mode, schema, context, missing, meta, expiresIn; schema echoed as sent")
  void formFillContextKeys(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill(SCHEMA, "{\"name\":\"Ann\",\"age\":null}");
    ObjectNode ctx = s.contextOk(b);
    assertThat(keys(ctx))
        .as("form-fill context keys")
        .containsExactlyInAnyOrder("sessionId", "mode", "schema", "context", "missing", "meta", "expiresIn");
    assertThat(ctx.get("mode").asString()).isEqualTo("form-fill");
    assertThat(ctx.get("schema")).as("schema echoed as sent, extra keys included").isEqualTo(json(SCHEMA));
    assertThat(ctx.get("meta")).isEqualTo(json("{}"));
    assertThat(ctx.get("expiresIn").asLong()).isBetween(1799L, 1800L);
    JsonNode name = ctx.get("context").get("name");
    assertThat(keys(name)).as("a context entry").containsExactlyInAnyOrder("value", "by", "at");
    assertThat(name.get("value").asString()).isEqualTo("Ann");
    assertThat(name.get("at").asString()).as("at format").matches(AT_PATTERN);
    assertThat(keys(ctx.get("context"))).as("context holds exactly the keys sent").containsExactlyInAnyOrder("name", "age");
  }

  @BothProfiles
  @DisplayName("4.6 [both] expiresIn after a read is ttl-1 or ttl even after idle time (the read refreshes the timer)")
  void expiresInCountsDown(Profile profile) {
    HppServer s = start(profile.builder().ttl(Duration.ofSeconds(600)).build());
    BrowserSession b = s.defaultSession();
    advance(Duration.ofMillis(100_500));
    long after = s.contextOk(b).get("expiresIn").asLong();
    assertThat(after).as("a successful read refreshes the idle timer").isBetween(599L, 600L);
    assertThat(s.contextOk(b).get("expiresIn").asLong()).isBetween(599L, 600L);
  }

  @BothProfiles
  @DisplayName("4.7 [both] initial by: 0 and false → user; null, \"\", [], {} → empty; missing lists required empty keys in schema order")
  void initialOwnership(Profile profile) {
    HppServer s = start(profile);
    String schema =
        "[{\"key\":\"z\",\"required\":true},{\"key\":\"zero\",\"type\":\"int\",\"required\":true},"
            + "{\"key\":\"no\",\"type\":\"bool\",\"required\":true},{\"key\":\"nul\",\"required\":true},"
            + "{\"key\":\"str\",\"required\":true},{\"key\":\"arr\",\"type\":\"array\",\"required\":true},"
            + "{\"key\":\"obj\",\"type\":\"object\",\"required\":true},{\"key\":\"opt\"},"
            + "{\"key\":\"txt\",\"required\":true},{\"key\":\"later\",\"required\":1}]";
    String context =
        "{\"obj\":{},\"arr\":[],\"str\":\"\",\"nul\":null,\"no\":false,\"zero\":0,\"txt\":\"hi\",\"opt\":null}";
    BrowserSession b = s.formFill(schema, context);
    ObjectNode ctx = s.contextOk(b);
    JsonNode c = ctx.get("context");
    assertThat(c.get("zero").get("by").asString()).as("0 is a value").isEqualTo("user");
    assertThat(c.get("no").get("by").asString()).as("false is a value").isEqualTo("user");
    assertThat(c.get("txt").get("by").asString()).isEqualTo("user");
    for (String empty : new String[] {"nul", "str", "arr", "obj", "opt"}) {
      assertThat(c.get(empty).get("by").asString()).as("%s starts empty", empty).isEqualTo("empty");
    }
    assertThat(c.get("zero").get("value").isIntegralNumber()).isTrue();
    assertThat(c.get("arr").get("value")).isEqualTo(json("[]"));
    assertThat(c.has("z")).as("schema keys absent from context are not invented").isFalse();
    assertThat(strings(ctx.get("missing")))
        .as("required empty keys in schema order")
        .containsExactly("z", "nul", "str", "arr", "obj", "later");
  }
}
