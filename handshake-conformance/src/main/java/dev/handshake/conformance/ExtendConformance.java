package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.HookDenied;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionHooks;
import dev.handshake.session.SessionHooks.ExtendDecision;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST {prefix}/session/<sid>/extend}: hpp.md §2.3.6, §2.4, checklist 19, 20. */
public abstract class ExtendConformance extends HppConformanceBase {
  static final String RANGE = "extraSeconds must be between 1 and 86400";
  static final String DENIED = "extension denied by server policy";

  static ObjectNode extendOk(HppServer s, BrowserSession b, String body) {
    HttpReply r = s.extend(b, body);
    assertThat(r.status()).as("extend %s: %s", body, r).isEqualTo(200);
    assertJson(r);
    ObjectNode o = r.object();
    assertThat(keys(o)).containsExactlyInAnyOrder("ok", "extended", "expiresIn");
    assertThat(o.get("ok").asBoolean()).isTrue();
    return o;
  }

  @BothProfiles
  @DisplayName("4.19 [both] extraSeconds 0, negative and 86401 → 400 with the exact message")
  void outOfRange(Profile profile) {
    HppServer s = start(profile.builder().maxSessionLifetime(Optional.empty()).build());
    BrowserSession b = s.defaultSession();
    for (String v : new String[] {"0", "-5", "86401", "\"0\"", "0.5"}) {
      assertError(s.extend(b, "{\"extraSeconds\":" + v + "}"), 400, RANGE);
    }
    assertThat(extendOk(s, b, "{\"extraSeconds\":86400}").get("extended").asLong())
        .as("86400 is the largest single extension").isEqualTo(86400);
  }

  @BothProfiles
  @DisplayName("4.19 [both] extraSeconds defaults to 1800; \"120\" → 120; 1.9 → 1 (Python int())")
  void coercion(Profile profile) {
    HppServer s = start(profile);
    assertThat(extendOk(s, s.defaultSession(), "{}").get("extended").asLong()).isEqualTo(1800);
    assertThat(extendOk(s, s.defaultSession(), "").get("extended").asLong()).as("empty body").isEqualTo(1800);
    assertThat(extendOk(s, s.defaultSession(), "{\"extraSeconds\":\"120\"}").get("extended").asLong()).isEqualTo(120);
    assertThat(extendOk(s, s.defaultSession(), "{\"extraSeconds\":\" 42 \"}").get("extended").asLong()).isEqualTo(42);
    assertThat(extendOk(s, s.defaultSession(), "{\"extraSeconds\":1.9}").get("extended").asLong()).isEqualTo(1);
    assertThat(extendOk(s, s.defaultSession(), "{\"extraSeconds\":true}").get("extended").asLong()).isEqualTo(1);
  }

  @BothProfiles
  @DisplayName("4.19 [both] extensions are cumulative and permanent: expiresIn ≈ old ttl + extra, and the idle window stays longer")
  void cumulativeAndPermanent(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    assertThat(extendOk(s, b, "{\"extraSeconds\":120}").get("expiresIn").asLong()).isBetween(1919L, 1920L);
    assertThat(extendOk(s, b, "{\"extraSeconds\":60}").get("expiresIn").asLong()).as("cumulative").isBetween(1979L, 1980L);
    advance(Duration.ofSeconds(1950));
    ObjectNode ctx = s.contextOk(b);
    assertThat(ctx.get("expiresIn").asLong()).as("the idle window is now 1980 s for good").isBetween(1979L, 1980L);
    advance(Duration.ofSeconds(1981));
    assertError(s.context(b), 404, "session not found or expired");
  }

  @BothProfiles
  @DisplayName("4.19 [both] extend hook returning false → 403 extension denied by server policy")
  void hookDenies(Profile profile) {
    HppServer s = start(profile.config(), SessionHooks.builder().onExtend((x, n, r) -> ExtendDecision.deny()).build());
    BrowserSession b = s.defaultSession();
    assertError(s.extend(b, "{\"extraSeconds\":60}"), 403, DENIED);
    assertThat(s.contextOk(b).get("expiresIn").asLong()).as("the ttl did not grow").isBetween(1799L, 1800L);
  }

  @BothProfiles
  @DisplayName("4.19 [both] an extend hook's integer replaces the value and the next hook sees it; the range check runs before hooks")
  void hookReplaces(Profile profile) {
    List<Long> seen = new CopyOnWriteArrayList<>();
    SessionHooks hooks =
        SessionHooks.builder()
            .onExtend((x, n, r) -> { seen.add(n); return ExtendDecision.replace(60); })
            .onExtend((x, n, r) -> { seen.add(n); return ExtendDecision.unchanged(); })
            .build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession b = s.defaultSession();
    ObjectNode o = extendOk(s, b, "{\"extraSeconds\":3600}");
    assertThat(o.get("extended").asLong()).isEqualTo(60);
    assertThat(o.get("expiresIn").asLong()).isBetween(1859L, 1860L);
    assertThat(seen).containsExactly(3600L, 60L);
    assertError(s.extend(b, "{\"extraSeconds\":0}"), 400, RANGE);
    assertThat(seen).as("hooks do not run for an out-of-range request").hasSize(2);
  }

  @BothProfiles
  @DisplayName("4.19 [both] an extend hook exception → 403 (HookDenied shows its message, others a generic one)")
  void hookThrows(Profile profile) {
    HppServer denied =
        start(profile.config(), SessionHooks.builder().onExtend((x, n, r) -> { throw new HookDenied("ask your admin"); }).build());
    assertError(denied.extend(denied.defaultSession(), "{}"), 403, "ask your admin");
    HppServer broken =
        start(profile.config(), SessionHooks.builder().onExtend((x, n, r) -> { throw new IllegalStateException("db password=hunter2"); }).build());
    HttpReply r = broken.extend(broken.defaultSession(), "{}");
    assertThat(r.status()).isEqualTo(403);
    assertJson(r);
    assertThat(r.body()).as("internal exception text is not leaked").doesNotContain("hunter2");
  }

  @BothProfiles
  @DisplayName("4.19 [both] extend needs the token and is answered 404 for unknown sids")
  void extendAuth(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    assertError(s.request("POST", s.config().prefix() + "/session/" + b.sid() + "/extend").body("{}").send(), 403, "invalid token");
    assertError(
        s.request("POST", s.config().prefix() + "/session/00000000000000000000000000000000/extend").token(b.token()).body("{}").send(),
        404, "session not found or expired");
  }

  @Test
  @DisplayName("4.20 [ours] extraSeconds \"abc\" or null → 400 with the range message")
  void invalidNumbers() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    for (String v : new String[] {"\"abc\"", "null", "\"12abc\"", "[]", "{}", "\"\""}) {
      assertError(s.extend(b, "{\"extraSeconds\":" + v + "}"), 400, RANGE);
    }
    assertThat(s.contextOk(b).get("expiresIn").asLong()).isBetween(1799L, 1800L);
  }

  @Test
  @DisplayName("4.20 [ours] an extension beyond maxSessionLifetime → 403 extension denied by server policy")
  void lifetimeCap() {
    HppServer s = start(Profile.DEFAULT);
    assertThat(s.config().maxSessionLifetime()).contains(Duration.ofHours(24));
    BrowserSession b = s.defaultSession();
    assertError(s.extend(b, "{\"extraSeconds\":86400}"), 403, DENIED);
    assertThat(extendOk(s, b, "{\"extraSeconds\":3600}").get("extended").asLong()).isEqualTo(3600);
    HppServer small =
        start(SessionConfig.defaults().toBuilder().ttl(Duration.ofSeconds(100)).maxSessionLifetime(Optional.of(Duration.ofSeconds(300))).build());
    BrowserSession c = small.defaultSession();
    extendOk(small, c, "{\"extraSeconds\":150}");
    assertError(small.extend(c, "{\"extraSeconds\":60}"), 403, DENIED);
  }

  @Test
  @DisplayName("4.20 [ours] an extend hook's replacement is clamped to 86400 and to the lifetime cap")
  void hookValueClamped() {
    HppServer s =
        start(SessionConfig.defaults().toBuilder().maxSessionLifetime(Optional.empty()).build(),
            SessionHooks.builder().onExtend((x, n, r) -> ExtendDecision.replace(10_000_000)).build());
    ObjectNode o = extendOk(s, s.defaultSession(), "{\"extraSeconds\":5}");
    assertThat(o.get("extended").asLong()).isEqualTo(86400);
  }

  @Test
  @DisplayName("4.20 [ours] an extend hook's replacement is clamped to the lifetime cap, not refused")
  void hookValueClampedToLifetime() {
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(Duration.ofSeconds(100))
            .maxSessionLifetime(Optional.of(Duration.ofSeconds(300))).build(),
        SessionHooks.builder().onExtend((x, n, r) -> ExtendDecision.replace(86400)).build());
    ObjectNode o = extendOk(s, s.defaultSession(), "{\"extraSeconds\":5}");
    assertThat(o.get("extended").asLong()).as("300 s lifetime - 100 s ttl").isEqualTo(200);
    assertThat(o.get("expiresIn").asLong()).isBetween(299L, 300L);
  }

  @Test
  @DisplayName("§3.6 [ours] extend is limited to 10 calls per minute per session (429 with Retry-After)")
  void extendRateLimited() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 10; i++) {
      extendOk(s, b, "{\"extraSeconds\":1}");
    }
    HttpReply r = s.extend(b, "{\"extraSeconds\":1}");
    assertError(r, 429, "rate limit exceeded");
    retryAfter(r);
    advance(Duration.ofSeconds(61));
    extendOk(s, b, "{\"extraSeconds\":1}");
  }
}
