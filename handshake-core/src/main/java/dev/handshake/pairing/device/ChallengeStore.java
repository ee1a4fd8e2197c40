package dev.handshake.pairing.device;

import java.time.Duration;

/**
 * Outstanding connect challenges: each nonce is issued once, lives a short while and can be
 * consumed exactly once (pairing.md §4 item 12). The store is bounded, so a flood of challenge
 * requests costs memory only up to the configured maximum.
 *
 * <p>Nonces live for minutes, so {@link InMemoryChallengeStore} is enough for one server process;
 * several nodes behind one address would share an implementation over Redis.
 */
public interface ChallengeStore {

  /** A fresh challenge, or {@link Issue.Full} when the maximum number is outstanding. */
  Issue issue();

  /**
   * Spends {@code nonce}: true the first time for a nonce this store issued that has not expired,
   * false for every other call (unknown, already spent, expired). A spent nonce is gone either
   * way.
   */
  boolean consume(String nonce);

  /** How many challenges are outstanding (expired ones may still be counted until swept). */
  int outstanding();

  /** What asking for a challenge gave. */
  sealed interface Issue {
    /** Send this challenge to the device. */
    record Issued(Challenge challenge) implements Issue {}

    /**
     * Too many challenges are outstanding; the oldest expires in {@code retryAfter}. Refusing
     * rather than evicting keeps a flood from invalidating the challenges honest devices hold.
     */
    record Full(Duration retryAfter) implements Issue {}
  }
}
