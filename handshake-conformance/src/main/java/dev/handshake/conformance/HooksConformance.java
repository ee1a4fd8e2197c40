package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.HookDenied;
import dev.handshake.session.SessionHooks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Host hooks: hpp.md §2.8, §3 item 11 and checklist item 26. */
public abstract class HooksConformance extends HppConformanceBase {

  @BothProfiles
  @DisplayName("4.26 [both] a create hook denial → 403 with its message and the session is not stored")
  void createHookDenies(Profile profile) {
    AtomicReference<String> attempted = new AtomicReference<>();
    SessionHooks hooks =
        SessionHooks.builder()
            .onCreateSession((session, req) -> {
              attempted.set(session.id());
              if (req.header("X-Host-User").isEmpty()) {
                throw new HookDenied("sign in first");
              }
            })
            .build();
    HppServer s = start(profile.config(), hooks);
    HttpReply r = s.create("{}");
    assertError(r, 403, "sign in first");
    assertThat(attempted.get()).as("the hook saw the would-be session").isNotNull();
    HttpReply probe = s.request("GET", s.path("context", attempted.get())).send();
    assertError(probe, 404, "session not found or expired");
    HttpReply ok = s.request("POST", "/handshake/session").header("Origin", s.origin()).header("X-Host-User", "ann").body("{}").send();
    assertThat(ok.status()).as("the hook reads request headers: %s", ok).isEqualTo(200);
  }

  @BothProfiles
  @DisplayName("4.26 [both] any other create hook exception → 403 without leaking its text")
  void createHookThrows(Profile profile) {
    HppServer s = start(profile.config(),
        SessionHooks.builder().onCreateSession((x, r) -> { throw new IllegalStateException("secret=s3cr3t"); }).build());
    HttpReply r = s.create("{}");
    assertThat(r.status()).isEqualTo(403);
    assertJson(r);
    assertThat(r.body()).doesNotContain("s3cr3t");
  }

  @BothProfiles
  @DisplayName("§2.3.1 [both] a create hook may change the session's ttl and meta; expiresIn in the create reply stays the configured ttl")
  void createHookMutates(Profile profile) {
    SessionHooks hooks = SessionHooks.builder().onCreateSession((session, req) -> {
      session.setTtlSeconds(60);
      session.meta().put("owner", "ann");
    }).build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession b = s.defaultSession();
    assertThat(b.created().get("expiresIn").asLong()).isEqualTo(1800);
    ObjectNode ctx = s.contextOk(b);
    assertThat(ctx.get("expiresIn").asLong()).isBetween(59L, 60L);
    assertThat(ctx.get("meta").get("owner").asString()).isEqualTo("ann");
    advance(Duration.ofSeconds(61));
    assertThat(s.context(b).status()).as("the hook's ttl governs expiry").isEqualTo(404);
  }

  @BothProfiles
  @DisplayName("4.26 [both] an on_action veto puts the key in rejected without an error and skips later hooks")
  void actionVeto(Profile profile) {
    AtomicInteger second = new AtomicInteger();
    SessionHooks hooks = SessionHooks.builder()
        .onAction((session, action, req) -> !action.path("key").asString().equals("vetoed"))
        .onAction((session, action, req) -> { second.incrementAndGet(); return true; })
        .build();
    HppServer s = start(profile.config(), hooks);
    for (BrowserSession b : List.of(s.defaultSession(), s.formFill("[{\"key\":\"ok\"},{\"key\":\"vetoed\"}]", "{}"))) {
      second.set(0);
      ObjectNode r = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"vetoed\",\"value\":1},"
          + "{\"type\":\"set\",\"key\":\"ok\",\"value\":\"2\"}]}");
      assertThat(strings(r.get("rejected"))).containsExactly("vetoed");
      assertThat(strings(r.get("applied"))).containsExactly("ok");
      assertThat(r.get("errors")).isEqualTo(json("[]"));
      assertThat(second.get()).as("later hooks skipped after a veto").isEqualTo(1);
      assertThat(s.diffOk(b, "").get("changes")).as("only the allowed write is logged").hasSize(1);
    }
  }

  @BothProfiles
  @DisplayName("4.26 [both] an on_action exception → an errors entry and the key in rejected")
  void actionHookThrows(Profile profile) {
    SessionHooks hooks = SessionHooks.builder()
        .onAction((session, action, req) -> {
          String key = action.path("key").asString();
          if (key.equals("denied")) {
            throw new HookDenied("not on weekends");
          }
          if (key.equals("broken")) {
            throw new IllegalStateException("NPE somewhere");
          }
          return true;
        })
        .build();
    HppServer s = start(profile.config(), hooks);
    for (BrowserSession b : List.of(s.defaultSession(), s.formFill("[{\"key\":\"denied\"},{\"key\":\"broken\"},{\"key\":\"fine\"}]", "{}"))) {
      ObjectNode r = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"denied\",\"value\":\"1\"},"
          + "{\"type\":\"set\",\"key\":\"broken\",\"value\":\"2\"},{\"type\":\"set\",\"key\":\"fine\",\"value\":\"3\"}]}");
      assertThat(r.get("ok").asBoolean()).isTrue();
      assertThat(strings(r.get("applied"))).containsExactly("fine");
      assertThat(strings(r.get("rejected"))).containsExactly("denied", "broken");
      assertThat(r.get("errors")).isEqualTo(json(
          "[{\"key\":\"denied\",\"msg\":\"not on weekends\"},{\"key\":\"broken\",\"msg\":\"action hook failed\"}]"));
    }
  }

  @BothProfiles
  @DisplayName("4.26 [both] on_done receives (applied, rejected, errors) once per authorised action request; its exceptions are swallowed")
  void doneHook(Profile profile) {
    List<String> calls = new CopyOnWriteArrayList<>();
    SessionHooks hooks = SessionHooks.builder()
        .onDone((session, applied, rejected, errors) -> calls.add(applied + "|" + rejected + "|" + errors))
        .onDone((session, applied, rejected, errors) -> { throw new IllegalStateException("ignored"); })
        .build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession b = s.formFill("[{\"key\":\"a\"},{\"key\":\"n\",\"type\":\"int\"},{\"key\":\"u\"}]", "{\"u\":\"user\"}");
    HttpReply r = s.action(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"x\"},"
        + "{\"type\":\"set\",\"key\":\"n\",\"value\":\"x\"},{\"type\":\"set\",\"key\":\"u\",\"value\":\"x\"}]}");
    assertThat(r.status()).as("a failing on_done does not fail the request: %s", r).isEqualTo(200);
    s.actionOk(b, "{\"actions\":[]}");
    s.request("POST", s.path("action", b.sid())).token("wrong").body("{\"actions\":[]}").send();
    assertThat(calls).containsExactly(
        "[a]|[u]|[{\"key\":\"n\",\"msg\":\"type mismatch, expected int\"}]",
        "[]|[]|[]");
  }

  @BothProfiles
  @DisplayName("§2.7 [both] default mode writes the value as a hook left it; form-fill writes the value as sent")
  void hookMutatesValue(Profile profile) {
    SessionHooks hooks = SessionHooks.builder()
        .onAction((session, action, req) -> { action.put("value", "rewritten"); return true; })
        .build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession d = s.defaultSession();
    s.actionOk(d, "{\"actions\":[{\"key\":\"k\",\"value\":\"sent\"}]}");
    assertThat(s.contextOk(d).get("data").get("k").asString()).isEqualTo("rewritten");
    BrowserSession f = s.formFill("[{\"key\":\"k\"}]", "{}");
    s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"k\",\"value\":\"sent\"}]}");
    assertThat(s.contextOk(f).get("context").get("k").get("value").asString()).isEqualTo("sent");
  }

  @BothProfiles
  @DisplayName("§2.7 [both] a custom validator replaces the type rules; the enum options check still runs")
  void customValidator(Profile profile) {
    SessionHooks hooks = SessionHooks.builder().validator((value, type) -> !value.isNull()).build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession f = s.formFill("[{\"key\":\"n\",\"type\":\"int\"},{\"key\":\"e\",\"type\":\"enum\",\"options\":[{\"value\":\"a\"}]}]", "{}");
    ObjectNode r = s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"n\",\"value\":\"not an int\"},"
        + "{\"type\":\"set\",\"key\":\"n\",\"value\":null},{\"type\":\"set\",\"key\":\"e\",\"value\":\"b\"}]}");
    assertThat(strings(r.get("applied"))).containsExactly("n");
    JsonNode errors = r.get("errors");
    assertThat(errors).isEqualTo(json("[{\"key\":\"n\",\"msg\":\"type mismatch, expected int\"},"
        + "{\"key\":\"e\",\"msg\":\"value not in allowed options ['a']\"}]"));
  }
}
