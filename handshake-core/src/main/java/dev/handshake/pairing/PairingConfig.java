package dev.handshake.pairing;

import java.time.Duration;
import java.util.Set;

/**
 * Limits and lifetimes of channel pairing (pairing.md §3.2 rule 4); every one is bounded and can
 * be changed. {@link #defaults()} are ours; {@code codeTtl(Duration.ofSeconds(300))} is
 * PraisonAI's lifetime ({@code pairing.code.ttl}).
 *
 * @param codeTtl how long a request and its code live (default 1 hour)
 * @param pendingPerAccount live requests per (channel type, account) (default 3, OpenClaw's)
 * @param pendingGlobal live requests in the whole store (default 1,000)
 * @param maxWrongGuesses wrong codes aimed at one request before it expires (default 5)
 * @param attemptsPerWindow approve/deny calls per approver and per source address in {@code
 *     attemptWindow} (default 10 per minute)
 * @param createsPerSender new requests one sender may open in {@code createWindow} (default 3 per
 *     hour; a repeat while one is pending only refreshes it and does not count)
 * @param createsPerSource new requests from one source address in a minute (default 30)
 * @param grantScopes scopes written into every grant (default none)
 * @param keepResolved how long approved, denied, expired and superseded requests stay resolvable
 *     (default 30 days)
 */
public record PairingConfig(
    Duration codeTtl,
    CodeAlphabet alphabet,
    int pendingPerAccount,
    int pendingGlobal,
    int maxWrongGuesses,
    int attemptsPerWindow,
    Duration attemptWindow,
    int createsPerSender,
    Duration createWindow,
    int createsPerSource,
    Set<String> grantScopes,
    Duration keepResolved) {

  public PairingConfig {
    positive("codeTtl", codeTtl);
    positive("attemptWindow", attemptWindow);
    positive("createWindow", createWindow);
    positive("keepResolved", keepResolved);
    atLeastOne("pendingPerAccount", pendingPerAccount);
    atLeastOne("pendingGlobal", pendingGlobal);
    atLeastOne("maxWrongGuesses", maxWrongGuesses);
    atLeastOne("attemptsPerWindow", attemptsPerWindow);
    atLeastOne("createsPerSender", createsPerSender);
    atLeastOne("createsPerSource", createsPerSource);
    grantScopes = Set.copyOf(grantScopes);
  }

  public static PairingConfig defaults() {
    return new PairingConfig(Duration.ofHours(1), CodeAlphabet.REFERENCE, 3, 1_000, 5, 10,
        Duration.ofMinutes(1), 3, Duration.ofHours(1), 30, Set.of(), Duration.ofDays(30));
  }

  public PairingConfig codeTtl(Duration ttl) {
    return new PairingConfig(ttl, alphabet, pendingPerAccount, pendingGlobal, maxWrongGuesses,
        attemptsPerWindow, attemptWindow, createsPerSender, createWindow, createsPerSource,
        grantScopes, keepResolved);
  }

  public PairingConfig pendingCaps(int perAccount, int global) {
    return new PairingConfig(codeTtl, alphabet, perAccount, global, maxWrongGuesses,
        attemptsPerWindow, attemptWindow, createsPerSender, createWindow, createsPerSource,
        grantScopes, keepResolved);
  }

  public PairingConfig attempts(int perWindow, Duration window) {
    return new PairingConfig(codeTtl, alphabet, pendingPerAccount, pendingGlobal, maxWrongGuesses,
        perWindow, window, createsPerSender, createWindow, createsPerSource, grantScopes,
        keepResolved);
  }

  public PairingConfig creates(int perSender, Duration window, int perSource) {
    return new PairingConfig(codeTtl, alphabet, pendingPerAccount, pendingGlobal, maxWrongGuesses,
        attemptsPerWindow, attemptWindow, perSender, window, perSource, grantScopes, keepResolved);
  }

  public PairingConfig alphabet(CodeAlphabet newAlphabet) {
    return new PairingConfig(codeTtl, newAlphabet, pendingPerAccount, pendingGlobal,
        maxWrongGuesses, attemptsPerWindow, attemptWindow, createsPerSender, createWindow,
        createsPerSource, grantScopes, keepResolved);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + n);
    }
  }
}
