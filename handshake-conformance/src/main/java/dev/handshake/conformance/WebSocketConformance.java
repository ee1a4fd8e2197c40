package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The live channel {@code {ws_prefix}/<sid>}: hpp.md §2.5 and checklist items 12, 19, 23. */
public abstract class WebSocketConformance extends HppConformanceBase {
  static final Duration QUIET = Duration.ofMillis(300);
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  @BeforeEach
  void needsWebSocket() {
    assumeWebSocket();
  }

  /** Connects and consumes the {@code connected} message. */
  static WsTestClient joined(HppServer s, BrowserSession b) {
    WsTestClient ws = s.ws(b);
    JsonNode hello = ws.next();
    assertThat(hello.path("type").asString()).as("first message: %s", hello).isEqualTo("connected");
    return ws;
  }

  @BothProfiles
  @DisplayName("4.23 [both] the first message is {type: connected, sessionId, mode}")
  void connected(Profile profile) {
    HppServer s = start(profile);
    BrowserSession f = s.formFill("[{\"key\":\"a\"}]", "{}");
    WsTestClient ws = s.ws(f);
    assertThat(ws.next()).isEqualTo(obj("type", "connected", "sessionId", f.sid(), "mode", "form-fill"));
    BrowserSession d = s.defaultSession();
    assertThat(s.ws(d).next()).isEqualTo(obj("type", "connected", "sessionId", d.sid(), "mode", "default"));
    WsTestClient extraParams = s.ws(d.sid() + "?v=2&token=" + d.token() + "&x=y", List.of(), Map.of());
    assertThat(extraParams.next().path("type").asString()).as("other query parameters are allowed").isEqualTo("connected");
    ws.expectNoMessage(QUIET);
    assertThat(ws.isClosed()).isFalse();
  }

  @BothProfiles
  @DisplayName("4.23 [both] a bad token → exactly one {type: error, msg: invalid token}, then close 1000")
  void badToken(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    for (String q : new String[] {"?token=nope", "", "?tok=" + b.token()}) {
      WsTestClient ws = s.ws(b.sid() + q, List.of(), Map.of());
      assertThat(ws.next()).as("query <%s>", q).isEqualTo(obj("type", "error", "msg", "invalid token"));
      assertThat(ws.awaitClose(CLOSE_WAIT)).as("close code").isEqualTo(1000);
      assertThat(ws.pending()).as("exactly one message").isZero();
    }
  }

  @BothProfiles
  @DisplayName("4.23 [both] an unknown sid → exactly one {type: error, msg: session not found}, then close 1000")
  void unknownSid(Profile profile) {
    HppServer s = start(profile);
    WsTestClient ws = s.ws("0123456789abcdef0123456789abcdef?token=x", List.of(), Map.of());
    assertThat(ws.next()).isEqualTo(obj("type", "error", "msg", "session not found"));
    assertThat(ws.awaitClose(CLOSE_WAIT)).isEqualTo(1000);
    assertThat(ws.pending()).isZero();
  }

  @Test
  @DisplayName("4.23 [both] the token is read raw from the query: a percent-encoded token fails (reference profile)")
  void percentEncodedTokenFailsReference() {
    percentEncodedTokenFails(Profile.REFERENCE);
  }

  @Test
  @DisplayName("4.23 [ours] the WebSocket ?token= is percent-decoded (issue 2 overrides the [both] raw rule; the reference profile keeps it raw)")
  void percentEncodedTokenAcceptedDefault() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String escaped = "%" + String.format("%02X", (int) b.token().charAt(0)) + b.token().substring(1);
    WsTestClient ws = s.ws(b.sid() + "?token=" + escaped, List.of(), Map.of());
    assertThat(ws.next().get("type").asString()).as("a percent-encoded token joins").isEqualTo("connected");
  }

  private void percentEncodedTokenFails(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    String escaped = "%" + String.format("%02X", (int) b.token().charAt(0)) + b.token().substring(1);
    WsTestClient ws = s.ws(b.sid() + "?token=" + escaped, List.of(), Map.of());
    assertThat(ws.next()).isEqualTo(obj("type", "error", "msg", "invalid token"));
    assertThat(ws.awaitClose(CLOSE_WAIT)).isEqualTo(1000);
  }

  @BothProfiles
  @DisplayName("§3.4 [both] the token may come as Sec-WebSocket-Protocol: hpp, hpp.token.<token>")
  void tokenInSubprotocol(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    WsTestClient ws = s.ws(b.sid(), List.of("hpp", "hpp.token." + b.token()), Map.of());
    assertThat(ws.next()).isEqualTo(obj("type", "connected", "sessionId", b.sid(), "mode", "default"));
    assertThat(ws.subprotocol()).as("the server selects the plain hpp protocol, never echoing the token").isEqualTo("hpp");
    WsTestClient bad = s.ws(b.sid(), List.of("hpp", "hpp.token.wrong"), Map.of());
    assertThat(bad.next()).isEqualTo(obj("type", "error", "msg", "invalid token"));
  }

  @BothProfiles
  @DisplayName("4.23 [both] userEdit applies ownership rules without an ack; other or malformed messages are ignored")
  void userEdit(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(100_000).build());
    BrowserSession b = s.formFill("[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"sentinel\"}]", "{}");
    WsTestClient ws = joined(s, b);
    s.actionOk(b, "{\"stream\":false,\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"ai\"}]}");
    assertThat(ws.next().path("type").asString()).isEqualTo("done");
    ws.send("{\"type\":\"userEdit\",\"key\":\"a\",\"value\":\"mine\"}");
    ws.send("{\"type\":\"userEdit\",\"key\":\"b\",\"value\":\"typed\"}");
    ws.send("not json");
    ws.send("[1,2]");
    ws.send("{\"type\":\"somethingElse\",\"key\":\"b\",\"value\":\"no\"}");
    ws.send("{\"type\":\"userEdit\",\"key\":7,\"value\":\"no\"}");
    ws.send("{\"type\":\"userEdit\",\"key\":\"sentinel\",\"value\":\"last\"}");
    ws.expectNoMessage(QUIET);
    // there is no ack: wait for the last edit; frames of one socket are handled in order
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(s.contextOk(b).get("context").path("sentinel").path("value").asString()).isEqualTo("last"));
    JsonNode ctx = s.contextOk(b).get("context");
    assertThat(ctx.get("a").get("by").asString()).as("userEdit on an ai field").isEqualTo("user_edit");
    assertThat(ctx.get("a").get("value").asString()).isEqualTo("mine");
    assertThat(ctx.get("b").get("by").asString()).as("userEdit on an empty field").isEqualTo("user");
    assertThat(ctx.get("b").get("value").asString()).as("ignored messages changed nothing").isEqualTo("typed");
    ObjectNode r = s.actionOk(b, "{\"stream\":false,\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":\"x\"}]}");
    assertThat(strings(r.get("rejected"))).containsExactly("a");
    assertThat(ws.isClosed()).as("the socket survives ignored input").isFalse();
  }

  @BothProfiles
  @DisplayName("4.12 [both] stream:true pushes one action per applied key, in order, then exactly one done")
  void streamPushes(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill("[{\"key\":\"a\",\"type\":\"object\"},{\"key\":\"n\",\"type\":\"int\",\"required\":true},{\"key\":\"c\",\"required\":true}]", "{\"c\":\"user\"}");
    WsTestClient ws = joined(s, b);
    ObjectNode r = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"a\",\"value\":{\"x\":1}},"
        + "{\"type\":\"set\",\"key\":\"n\",\"value\":\"bad\"},{\"type\":\"set\",\"key\":\"c\",\"value\":\"ai\"},"
        + "{\"type\":\"set\",\"key\":\"a\",\"value\":2}]}");
    assertThat(ws.next()).isEqualTo(json("{\"type\":\"action\",\"key\":\"a\",\"value\":{\"x\":1}}"));
    assertThat(ws.next()).isEqualTo(json("{\"type\":\"action\",\"key\":\"a\",\"value\":2}"));
    JsonNode done = ws.next();
    assertThat(done).isEqualTo(json("{\"type\":\"done\",\"applied\":2,\"rejected\":[\"c\"],\"missing\":[\"n\"]}"));
    ws.expectNoMessage(QUIET);
    assertThat(strings(r.get("applied"))).containsExactly("a", "a");
  }

  @BothProfiles
  @DisplayName("4.12 [both] stream:false → only done; an empty action list still produces done; default mode sends missing: []")
  void doneOnly(Profile profile) {
    HppServer s = start(profile);
    BrowserSession d = s.defaultSession();
    WsTestClient ws = joined(s, d);
    s.actionOk(d, "{\"stream\":false,\"actions\":[{\"key\":\"a\",\"value\":1}]}");
    assertThat(ws.next()).isEqualTo(json("{\"type\":\"done\",\"applied\":1,\"rejected\":[],\"missing\":[]}"));
    s.actionOk(d, "{\"actions\":[]}");
    assertThat(ws.next()).isEqualTo(json("{\"type\":\"done\",\"applied\":0,\"rejected\":[],\"missing\":[]}"));
    s.actionOk(d, "{}");
    assertThat(ws.next()).as("no actions field at all").isEqualTo(json("{\"type\":\"done\",\"applied\":0,\"rejected\":[],\"missing\":[]}"));
    ws.expectNoMessage(QUIET);
  }

  @BothProfiles
  @DisplayName("4.12 [both] every socket of the session receives the pushes; other sessions' sockets do not")
  void fanOut(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    BrowserSession other = s.defaultSession();
    WsTestClient one = joined(s, b);
    WsTestClient two = joined(s, b);
    WsTestClient stranger = joined(s, other);
    ObjectNode r = s.actionOk(b, "{\"actions\":[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]}");
    for (WsTestClient ws : List.of(one, two)) {
      assertThat(ws.next().path("key").asString()).isEqualTo("a");
      assertThat(ws.next().path("key").asString()).isEqualTo("b");
      assertThat(ws.next().path("type").asString()).isEqualTo("done");
    }
    stranger.expectNoMessage(QUIET);
    if (r.has("broadcast")) {
      assertThat(r.get("broadcast")).as("[0.2.1] broadcast counts")
          .isEqualTo(json("{\"clients\":2,\"actionMessages\":4,\"doneMessages\":2}"));
    }
  }

  @BothProfiles
  @DisplayName("4.15 [both] notify is not broadcast over the WebSocket")
  void notifyNotBroadcast(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    WsTestClient ws = joined(s, b);
    s.notifyOk(b, "{\"key\":\"k\",\"value\":1}");
    ws.expectNoMessage(QUIET);
  }

  @BothProfiles
  @DisplayName("4.19 [both] a successful extend pushes {type: extended, expiresIn}")
  void extendedPush(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    WsTestClient ws = joined(s, b);
    HttpReply r = s.extend(b, "{\"extraSeconds\":600}");
    assertThat(r.status()).isEqualTo(200);
    JsonNode pushed = ws.next();
    assertThat(keys(pushed)).containsExactlyInAnyOrder("type", "expiresIn");
    assertThat(pushed.get("type").asString()).isEqualTo("extended");
    assertThat(pushed.get("expiresIn").asLong()).isEqualTo(r.object().get("expiresIn").asLong()).isBetween(2399L, 2400L);
    assertThat(s.extend(b, "{\"extraSeconds\":0}").status()).isEqualTo(400);
    ws.expectNoMessage(QUIET);
  }
}
