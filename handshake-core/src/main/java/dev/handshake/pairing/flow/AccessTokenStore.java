package dev.handshake.pairing.flow;

import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link AccessTokens} keeps {@link TokenRecord}s: rows keyed by token HMAC, no rules.
 * Implementations: {@link FlowStores#inMemoryTokens()} and {@code SqliteStores.tokens}; each
 * runs the same contract test suite.
 */
public interface AccessTokenStore extends AutoCloseable {

  /**
   * Stores {@code token} and, in the same transaction, drops the requester's oldest tokens (by
   * issue time, then hash) beyond {@code keepPerRequester}; the new token is never the one
   * dropped.
   *
   * @throws IllegalArgumentException when {@code keepPerRequester} is less than 1
   */
  void insert(TokenRecord token, int keepPerRequester);

  Optional<TokenRecord> find(String tokenHash);

  /** Deletes every token of {@code requester}; returns how many. */
  int deleteAll(Requester requester);

  /** Deletes tokens that expired before {@code cutoff}; returns how many. */
  int forgetExpiredBefore(Instant cutoff);

  @Override
  void close();
}
