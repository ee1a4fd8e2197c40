package dev.handshake.delegation;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What our capability chain verification trusts and tolerates (trusthandoff.md §3 item 5).
 *
 * @param issuerKeys which key may sign for which issuer (default {@link
 *     IssuerKeys#registryOrDerived})
 * @param trustAnchors the agent ids allowed to issue a root capability; nobody else's authority is
 *     accepted, however well the rest of the chain verifies
 * @param clock the time capabilities are checked against
 * @param skew how far in the future {@code issued_at} may lie, for clocks that disagree (default 30
 *     s, at most 300 s as for packets); expiry has no grace
 * @param maxLength the longest chain accepted (default 5, the reference's default delegation depth)
 * @param revoked whether a capability id has been revoked
 * @param attenuation the narrowing rule between parent and child (default {@link
 *     Attenuation#strict()})
 */
public record CapabilityChainPolicy(
    IssuerKeys issuerKeys,
    Set<String> trustAnchors,
    Clock clock,
    Duration skew,
    int maxLength,
    Predicate<String> revoked,
    Attenuation attenuation) {
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
  public static final Duration MAX_SKEW = Duration.ofSeconds(300);
  public static final int DEFAULT_MAX_LENGTH = 5;

  public CapabilityChainPolicy {
    trustAnchors = Set.copyOf(trustAnchors);
    if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
      throw new IllegalArgumentException(
          "skew must be between 0 and " + MAX_SKEW + ", was " + skew);
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
    }
  }

  /** The defaults around the three things every deployment must choose. */
  public static CapabilityChainPolicy of(
      IssuerKeys issuerKeys, Set<String> trustAnchors, Clock clock) {
    return new CapabilityChainPolicy(
        issuerKeys,
        trustAnchors,
        clock,
        DEFAULT_SKEW,
        DEFAULT_MAX_LENGTH,
        id -> false,
        Attenuation.strict());
  }

  /** This policy with revocation looked up by {@code revoked}. */
  public CapabilityChainPolicy withRevoked(Predicate<String> newRevoked) {
    return new CapabilityChainPolicy(
        issuerKeys, trustAnchors, clock, skew, maxLength, newRevoked, attenuation);
  }

  /** This policy with another narrowing rule (e.g. {@code legacyNullUnlimited}). */
  public CapabilityChainPolicy withAttenuation(Attenuation newAttenuation) {
    return new CapabilityChainPolicy(
        issuerKeys, trustAnchors, clock, skew, maxLength, revoked, newAttenuation);
  }

  /** This policy with another maximum chain length. */
  public CapabilityChainPolicy withMaxLength(int newMaxLength) {
    return new CapabilityChainPolicy(
        issuerKeys, trustAnchors, clock, skew, newMaxLength, revoked, attenuation);
  }

  /** This policy with another issuance skew. */
  public CapabilityChainPolicy withSkew(Duration newSkew) {
    return new CapabilityChainPolicy(
        issuerKeys, trustAnchors, clock, newSkew, maxLength, revoked, attenuation);
  }
}
