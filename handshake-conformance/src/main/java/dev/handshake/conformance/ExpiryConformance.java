package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Idle expiry, what refreshes it, and removal: hpp.md §2.4, §3 item 1, checklist 27, 28. */
public abstract class ExpiryConformance extends HppConformanceBase {
  static final Duration TTL = Duration.ofSeconds(100);
  static final String NOT_FOUND = "session not found or expired";

  HttpReply wrongToken(HppServer s, BrowserSession b) {
    return s.request("GET", s.path("context", b.sid())).token("not-the-token").send();
  }

  @BothProfiles
  @DisplayName("4.28 [both] a session idle for longer than its ttl → 404 on every endpoint (idle for exactly ttl is still alive)")
  void idleExpiry(Profile profile) {
    HppServer s = start(profile.builder().ttl(TTL).build());
    BrowserSession exact = s.defaultSession();
    BrowserSession over = s.defaultSession();
    advance(TTL);
    assertThat(s.context(exact).status()).as("now - touched == ttl is not expired").isEqualTo(200);
    advance(Duration.ofMillis(1));
    assertThat(s.context(exact).status()).as("the read at ttl refreshed it").isEqualTo(200);
    assertError(s.context(over), 404, NOT_FOUND);
    assertError(s.diff(over, ""), 404, NOT_FOUND);
    assertError(s.action(over, "{}"), 404, NOT_FOUND);
    assertError(s.extend(over, "{}"), 404, NOT_FOUND);
    assertError(s.notify(over, "{\"key\":\"a\"}"), 404, NOT_FOUND);
  }

  @BothProfiles
  @DisplayName("4.28 [both] an expired session is removed, not merely hidden (turning the clock back does not revive it)")
  void expiredIsRemoved(Profile profile) {
    HppServer s = start(profile.builder().ttl(TTL).sweepInterval(Duration.ofHours(1)).build());
    BrowserSession b = s.defaultSession();
    advance(TTL.plusSeconds(1));
    assertError(s.context(b), 404, NOT_FOUND);
    advance(TTL.negated());
    assertError(s.context(b), 404, NOT_FOUND);
  }

  @BothProfiles
  @DisplayName("4.28 [both] applied actions, notify and extend refresh the idle timer")
  void writesRefresh(Profile profile) {
    HppServer s = start(profile.builder().ttl(TTL).build());
    BrowserSession b = s.defaultSession();
    advance(Duration.ofSeconds(80));
    s.actionOk(b, "{\"actions\":[{\"key\":\"a\",\"value\":1}]}");
    advance(Duration.ofSeconds(80));
    s.notifyOk(b, "{\"key\":\"a\",\"value\":2}");
    advance(Duration.ofSeconds(80));
    assertThat(s.extend(b, "{\"extraSeconds\":1}").status()).isEqualTo(200);
    advance(Duration.ofSeconds(100));
    assertThat(s.context(b).status()).as("alive 340 s after creation with a 101 s idle window").isEqualTo(200);
  }

  @Test
  @DisplayName("4.27 [ref] any request naming the sid, even with a wrong token, refreshes the idle timer")
  void referenceRefreshesOnLookup() {
    HppServer s = start(SessionConfig.reference().toBuilder().ttl(TTL).build());
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 3; i++) {
      advance(Duration.ofSeconds(80));
      assertError(wrongToken(s, b), 403, "invalid token");
    }
    advance(Duration.ofSeconds(80));
    HttpReply anon = s.request("POST", s.path("notify", b.sid())).body("{\"key\":\"k\"}").send();
    assertThat(anon.status()).isEqualTo(200);
    advance(Duration.ofSeconds(80));
    assertThat(s.context(b).status()).as("kept alive by unauthenticated requests (reference quirk)").isEqualTo(200);
  }

  @Test
  @DisplayName("4.27 [ours] only authenticated requests refresh the timer; a session receiving only wrong-token requests expires on time")
  void onlyAuthenticatedRefresh() {
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(TTL).build());
    BrowserSession b = s.defaultSession();
    advance(Duration.ofSeconds(60));
    assertError(wrongToken(s, b), 403, "invalid token");
    assertError(s.request("POST", s.path("notify", b.sid())).header("Origin", s.origin()).body("{\"key\":\"k\"}").send(),
        403, "browser auth failed");
    assertError(s.request("POST", s.config().prefix() + "/session/" + b.sid() + "/extend").body("{}").send(), 403, "invalid token");
    advance(Duration.ofSeconds(41));
    assertError(s.context(b), 404, NOT_FOUND);

    BrowserSession used = s.defaultSession();
    for (int i = 0; i < 4; i++) {
      advance(Duration.ofSeconds(80));
      assertThat(s.context(used).status()).as("authenticated read #%d refreshes", i).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("4.27 [ours] an authenticated notify (binding cookie) refreshes the timer")
  void boundNotifyRefreshes() {
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(TTL).build());
    BrowserSession b = s.defaultSession();
    advance(Duration.ofSeconds(80));
    s.notifyOk(b, "{\"key\":\"k\",\"value\":1}");
    advance(Duration.ofSeconds(80));
    assertThat(s.context(b).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("§3.1 [ours] the absolute lifetime ends a session that is kept busy; expiresIn never exceeds what is left of it")
  void absoluteLifetime() {
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(TTL).maxSessionLifetime(Optional.of(Duration.ofSeconds(300))).build());
    BrowserSession b = s.defaultSession();
    advance(Duration.ofSeconds(90));
    s.contextOk(b);
    advance(Duration.ofSeconds(90));
    s.contextOk(b);
    advance(Duration.ofSeconds(70));
    assertThat(s.contextOk(b).get("expiresIn").asLong()).as("50 s of lifetime left").isBetween(49L, 50L);
    advance(Duration.ofSeconds(51));
    assertError(s.context(b), 404, NOT_FOUND);
  }
}
