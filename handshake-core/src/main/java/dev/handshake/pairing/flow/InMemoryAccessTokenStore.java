package dev.handshake.pairing.flow;

import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Access tokens in a map, for tests and a single process whose tokens may die with it. */
final class InMemoryAccessTokenStore implements AccessTokenStore {
  private final Map<String, TokenRecord> tokens = new HashMap<>();

  @Override
  public synchronized void insert(TokenRecord token, int keepPerRequester) {
    if (keepPerRequester < 1) {
      throw new IllegalArgumentException("keepPerRequester must be at least 1");
    }
    tokens.put(token.tokenHash(), token);
    // The new token always stays; of the others, the oldest go first.
    List<TokenRecord> others = tokens.values().stream()
        .filter(t -> t.requester().equals(token.requester()))
        .filter(t -> !t.tokenHash().equals(token.tokenHash()))
        .sorted(Comparator.comparing(TokenRecord::issuedAt).thenComparing(TokenRecord::tokenHash))
        .toList();
    for (int i = 0; i < others.size() - (keepPerRequester - 1); i++) {
      tokens.remove(others.get(i).tokenHash());
    }
  }

  @Override
  public synchronized Optional<TokenRecord> find(String tokenHash) {
    return Optional.ofNullable(tokens.get(tokenHash));
  }

  @Override
  public synchronized int deleteAll(Requester requester) {
    int before = tokens.size();
    tokens.values().removeIf(t -> t.requester().equals(requester));
    return before - tokens.size();
  }

  @Override
  public synchronized int forgetExpiredBefore(Instant cutoff) {
    int before = tokens.size();
    tokens.values().removeIf(t -> t.expiresAt().isBefore(cutoff));
    return before - tokens.size();
  }

  @Override
  public void close() {}
}
