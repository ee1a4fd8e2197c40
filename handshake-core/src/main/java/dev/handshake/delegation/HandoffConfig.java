package dev.handshake.delegation;

import java.time.Duration;
import java.util.Optional;

/**
 * How a receiver judges hand-offs: the compatibility switches of trusthandoff.md §3 with our
 * defaults ({@link #defaults()}) or the reference's behaviour ({@link #reference}).
 *
 * @param profile which pipeline runs: ours (§3, "our receive pipeline") or the reference's
 *     middleware order (replay recorded first, then depth, signature, time)
 * @param identityPolicy who may sign as {@code from_agent} ({@code trusthandoff.identityPolicy})
 * @param requireAudience {@code to_agent} must be one of the receiver's ids
 * @param maxPacketLifetime cap on {@code expires_at − issued_at}; empty is unlimited
 * @param reasonStyle time-window wording: 0.3.1 codes or 0.2.3's single reason
 * @param legacyNullUnlimited a null tool-call limit under a numeric parent is allowed
 * @param rejectLoops a chain whose agents already include {@code to_agent} is refused
 * @param rejectUnknownFields packets with top-level fields outside the model are refused
 * @param issuanceSkew how far {@code issued_at} may lie in the future (0–300 s)
 * @param expiryGrace how long after {@code expires_at} a packet is still accepted (0–60 s)
 * @param maxDepth the longest chain (in packet ids) accepted
 */
public record HandoffConfig(
    Profile profile,
    IdentityPolicy identityPolicy,
    boolean requireAudience,
    Optional<Duration> maxPacketLifetime,
    ReasonStyle reasonStyle,
    boolean legacyNullUnlimited,
    boolean rejectLoops,
    boolean rejectUnknownFields,
    Duration issuanceSkew,
    Duration expiryGrace,
    int maxDepth) {

  public static final Duration MAX_ISSUANCE_SKEW = Duration.ofSeconds(300);
  public static final Duration MAX_EXPIRY_GRACE = Duration.ofSeconds(60);
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
  public static final int DEFAULT_MAX_DEPTH = 5;

  /** Which pipeline a receiver runs. */
  public enum Profile {
    OURS,
    REFERENCE
  }

  /** {@code trusthandoff.identityPolicy}. */
  public enum IdentityPolicy {
    /** {@code from_agent} must be registered with exactly the packet's key. */
    REGISTRY,
    /** A registry entry if there is one, otherwise the id derived from the packet's key. */
    REGISTRY_OR_DERIVED,
    /** The reference: anyone may claim any id. */
    SELF_ASSERTED
  }

  /** {@code trusthandoff.reasonStyle}. */
  public enum ReasonStyle {
    V0_2_3,
    V0_3_1
  }

  /**
   * Checks the ranges; invalid values fail at start-up, never at runtime.
   *
   * @throws IllegalArgumentException naming the setting and its range
   */
  public HandoffConfig {
    if (issuanceSkew.isNegative() || issuanceSkew.compareTo(MAX_ISSUANCE_SKEW) > 0) {
      throw new IllegalArgumentException("issuance skew must be 0..300 s, was " + issuanceSkew);
    }
    if (expiryGrace.isNegative() || expiryGrace.compareTo(MAX_EXPIRY_GRACE) > 0) {
      throw new IllegalArgumentException("expiry grace must be 0..60 s, was " + expiryGrace);
    }
    if (maxPacketLifetime.isPresent() && !maxPacketLifetime.get().isPositive()) {
      throw new IllegalArgumentException("max packet lifetime must be positive");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("max depth must be at least 1, was " + maxDepth);
    }
  }

  /** Our defaults (trusthandoff.md §3 switch table). */
  public static HandoffConfig defaults() {
    return new HandoffConfig(
        Profile.OURS, IdentityPolicy.REGISTRY_OR_DERIVED, true, Optional.of(DEFAULT_MAX_LIFETIME),
        ReasonStyle.V0_3_1, false, true, false, Duration.ofSeconds(30), Duration.ZERO,
        DEFAULT_MAX_DEPTH);
  }

  /** The reference's behaviour as of {@code version} (0.2.3 or 0.3.1). */
  public static HandoffConfig reference(ReasonStyle version) {
    return new HandoffConfig(
        Profile.REFERENCE, IdentityPolicy.SELF_ASSERTED, false, Optional.empty(), version, true,
        false, false, Duration.ofSeconds(30), Duration.ZERO, DEFAULT_MAX_DEPTH);
  }

  public HandoffConfig withIdentityPolicy(IdentityPolicy p) {
    return new HandoffConfig(profile, p, requireAudience, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withMaxPacketLifetime(Optional<Duration> max) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, max, reasonStyle,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withReasonStyle(ReasonStyle style) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, style,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withRequireAudience(boolean require) {
    return new HandoffConfig(profile, identityPolicy, require, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withRejectUnknownFields(boolean reject) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, rejectLoops, reject, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withTimeTolerance(Duration skew, Duration grace) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, skew, grace, maxDepth);
  }

  public HandoffConfig withMaxDepth(int depth) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, depth);
  }

  public HandoffConfig withLegacyNullUnlimited(boolean legacy) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, reasonStyle,
        legacy, rejectLoops, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }

  public HandoffConfig withRejectLoops(boolean reject) {
    return new HandoffConfig(profile, identityPolicy, requireAudience, maxPacketLifetime, reasonStyle,
        legacyNullUnlimited, reject, rejectUnknownFields, issuanceSkew, expiryGrace, maxDepth);
  }
}
