package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Per-session and failed-auth rate limits: hpp.md §2.4, §3 items 1, 14, checklist 21, 22. */
public abstract class RateLimitConformance extends HppConformanceBase {

  HttpReply hit(HppServer s, BrowserSession b, int i) {
    return switch (i % 3) {
      case 0 -> s.context(b);
      case 1 -> s.action(b, "{\"actions\":[{\"key\":\"k\",\"value\":" + i + "}]}");
      default -> s.diff(b, "");
    };
  }

  @BothProfiles
  @DisplayName("4.21 [both] 60 successful hits shared by context, action and diff; the 61st → 429; notify, extend and bad tokens do not count")
  void sixtyPerMinute(Profile profile) {
    HppServer s = start(profile);
    assertThat(s.config().rateLimitPerMinute()).isEqualTo(60);
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 60; i++) {
      if (i % 12 == 0) {
        s.notifyOk(b, "{\"key\":\"n\",\"value\":" + i + "}");
        assertThat(s.request("GET", s.path("context", b.sid())).token("bad").send().status()).isEqualTo(403);
      }
      if (i == 30 || i == 31) {
        assertThat(s.extend(b, "{\"extraSeconds\":1}").status()).as("extend is not rate-limited").isEqualTo(200);
      }
      HttpReply r = hit(s, b, i);
      assertThat(r.status()).as("hit #%d: %s", i + 1, r).isEqualTo(200);
      advance(Duration.ofMillis(500));
    }
    for (int i = 0; i < 3; i++) {
      assertError(hit(s, b, i), 429, "rate limit exceeded");
    }
    assertThat(s.notify(b, "{\"key\":\"n\",\"value\":1}").status()).as("notify still works").isEqualTo(200);
    assertThat(s.extend(b, "{\"extraSeconds\":1}").status()).as("extend still works").isEqualTo(200);
    advance(Duration.ofMillis(30_500));
    assertThat(s.context(b).status()).as("the window slides: the oldest hit has left it").isEqualTo(200);
  }

  @BothProfiles
  @DisplayName("4.21 [both] one action request is one hit however many actions it carries; a refused request is not recorded")
  void countingRules(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(2).build());
    BrowserSession b = s.defaultSession();
    assertThat(s.action(b, DiffConformance.manySets(0, 40)).status()).isEqualTo(200);
    advance(Duration.ofSeconds(30));
    assertThat(s.action(b, DiffConformance.manySets(40, 40)).status()).isEqualTo(200);
    advance(Duration.ofSeconds(15));
    assertError(s.context(b), 429, "rate limit exceeded");
    advance(Duration.ofSeconds(16));
    assertThat(s.context(b).status()).as("t=61 s: the first hit left; the refused one at t=45 s never counted").isEqualTo(200);
    assertError(s.context(b), 429, "rate limit exceeded");
  }

  @BothProfiles
  @DisplayName("4.21 [both] sessions have separate quotas")
  void perSession(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(1).build());
    BrowserSession a = s.defaultSession();
    BrowserSession b = s.defaultSession();
    assertThat(s.context(a).status()).isEqualTo(200);
    assertThat(s.context(a).status()).isEqualTo(429);
    assertThat(s.context(b).status()).as("another session is unaffected").isEqualTo(200);
  }

  @Test
  @DisplayName("4.22 [ours] every 429 carries Retry-After (seconds until the oldest hit leaves the window)")
  void retryAfterOnSessionLimit() {
    HppServer s = start(SessionConfig.defaults().toBuilder().rateLimitPerMinute(2).build());
    BrowserSession b = s.defaultSession();
    s.context(b);
    advance(Duration.ofSeconds(20));
    s.context(b);
    advance(Duration.ofSeconds(10));
    HttpReply r = s.context(b);
    assertError(r, 429, "rate limit exceeded");
    assertThat(retryAfter(r)).as("the first hit leaves the window in 30 s").isBetween(29L, 31L);
  }

  @Test
  @DisplayName("4.22 [ours] 10 failed token attempts per minute on one sid → 429 with Retry-After, even for the right token")
  void failedAuthPerSid() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 10; i++) {
      assertError(s.request("GET", s.path("diff", b.sid())).token("guess" + i).send(), 403, "invalid token");
    }
    HttpReply limited = s.request("GET", s.path("context", b.sid())).token("guess-again").send();
    assertError(limited, 429, "rate limit exceeded");
    retryAfter(limited);
    HttpReply right = s.context(b);
    assertThat(right.status()).as("the sid is locked for a minute: %s", right).isEqualTo(429);
    retryAfter(right);
    advance(Duration.ofSeconds(61));
    assertThat(s.context(b).status()).as("after the window the owner gets in again").isEqualTo(200);
  }

  @Test
  @DisplayName("4.22 [ours] 10 failed token attempts per minute from one address, spread over sids → 429")
  void failedAuthPerAddress() {
    HppServer s = start(Profile.DEFAULT);
    for (int i = 0; i < 10; i++) {
      BrowserSession victim = s.defaultSession();
      assertError(s.request("GET", s.path("context", victim.sid())).token("guess").send(), 403, "invalid token");
    }
    BrowserSession eleventh = s.defaultSession();
    HttpReply r = s.request("GET", s.path("context", eleventh.sid())).token("guess").send();
    assertError(r, 429, "rate limit exceeded");
    retryAfter(r);
  }

  @Test
  @DisplayName("4.22 [ours] 30 creations per minute per address → the 31st is 429 with Retry-After")
  void createPerAddress() {
    HppServer s = start(Profile.DEFAULT);
    for (int i = 0; i < 30; i++) {
      assertThat(s.create("{}").status()).as("create #%d", i + 1).isEqualTo(200);
    }
    HttpReply r = s.create("{}");
    assertError(r, 429, "rate limit exceeded");
    retryAfter(r);
    advance(Duration.ofSeconds(61));
    assertThat(s.create("{}").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("§3.1 [ref] failed token attempts are not limited in the reference profile")
  void referenceNoFailedAuthLimit() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 25; i++) {
      assertError(s.request("GET", s.path("context", b.sid())).token("g" + i).send(), 403, "invalid token");
    }
    assertThat(s.context(b).status()).isEqualTo(200);
  }
}
