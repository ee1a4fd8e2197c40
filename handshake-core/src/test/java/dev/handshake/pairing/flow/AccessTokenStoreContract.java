package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link AccessTokenStore} promises; extended once per implementation. */
abstract class AccessTokenStoreContract {
  static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
  static final Requester ANN = Requester.of("telegram", "123");
  static final Requester BOB = new Requester("device-flow", "my-cli", "flow-0123456789abcdef");
  private final List<AccessTokenStore> opened = new ArrayList<>();

  /** A new, empty store. */
  protected abstract AccessTokenStore create();

  protected AccessTokenStore store() {
    AccessTokenStore s = create();
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(AccessTokenStore::close);
  }

  static TokenRecord token(String hash, Requester who, long issuedSecond) {
    return new TokenRecord(hash, who, Set.of("read"), T0.plusSeconds(issuedSecond),
        T0.plusSeconds(issuedSecond + 3600), "req-1@1756720800000", Optional.empty());
  }

  @Test
  void anInsertedTokenIsFoundByItsHashWithEveryField() {
    AccessTokenStore s = store();
    TokenRecord t = new TokenRecord("h", BOB, Set.of("read", "write"), T0.plusMillis(5),
        T0.plusMillis(3_600_005), "ref", Optional.of("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));

    s.insert(t, 16);

    assertThat(s.find("h")).contains(t);
    assertThat(s.find("other")).isEmpty();
  }

  @Test
  void aTokenWithoutScopesRoundTrips() {
    AccessTokenStore s = store();
    TokenRecord t = new TokenRecord("h", ANN, Set.of(), T0, T0.plusSeconds(1), "ref", Optional.empty());

    s.insert(t, 16);

    assertThat(s.find("h")).contains(t);
  }

  @Test
  void deleteAllRemovesEveryTokenOfOneRequesterOnly() {
    AccessTokenStore s = store();
    s.insert(token("a1", ANN, 0), 16);
    s.insert(token("a2", ANN, 1), 16);
    s.insert(token("b1", BOB, 0), 16);

    assertThat(s.deleteAll(ANN)).isEqualTo(2);

    assertThat(s.find("a1")).isEmpty();
    assertThat(s.find("a2")).isEmpty();
    assertThat(s.find("b1")).isPresent();
    assertThat(s.deleteAll(ANN)).isZero();
  }

  @Test
  void insertKeepsOnlyTheNewestTokensOfARequester() {
    AccessTokenStore s = store();
    s.insert(token("a1", ANN, 0), 2);
    s.insert(token("a2", ANN, 1), 2);
    s.insert(token("b1", BOB, 0), 2);

    s.insert(token("a3", ANN, 2), 2);

    assertThat(s.find("a1")).as("oldest of ANN dropped").isEmpty();
    assertThat(s.find("a2")).isPresent();
    assertThat(s.find("a3")).isPresent();
    assertThat(s.find("b1")).as("other requesters untouched").isPresent();
  }

  @Test
  void theNewTokenIsKeptEvenWhenOthersShareItsIssueTime() {
    AccessTokenStore s = store();
    s.insert(token("zzz", ANN, 0), 1);

    s.insert(token("aaa", ANN, 0), 1);

    assertThat(s.find("aaa")).isPresent();
    assertThat(s.find("zzz")).isEmpty();
  }

  @Test
  void keepingFewerThanOneIsAProgrammingError() {
    AccessTokenStore s = store();

    assertThatThrownBy(() -> s.insert(token("a", ANN, 0), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forgetsOnlyTokensThatExpiredBeforeTheCutoff() {
    AccessTokenStore s = store();
    s.insert(token("old", ANN, 0), 16);
    s.insert(token("new", BOB, 10), 16);

    assertThat(s.forgetExpiredBefore(T0.plusSeconds(3605))).isEqualTo(1);

    assertThat(s.find("old")).isEmpty();
    assertThat(s.find("new")).isPresent();
  }
}
