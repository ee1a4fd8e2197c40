package dev.handshake.delegation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time checks of a hand-off (trusthandoff.md §2.5, §3 item 7): the reference 0.2.3 rule, the
 * 0.3.1 rule (malformed window, issued in the future, expired), and ours, which adds the lifetime
 * cap and refuses naive datetimes instead of crashing. An empty result means the window is fine.
 */
final class TimeWindow {
  /** 0.2.3's {@code CLOCK_SKEW_TOLERANCE}, applied to both ends. */
  static final Duration V023_TOLERANCE = Duration.ofSeconds(30);

  private TimeWindow() {}

  static Optional<String> check(SignedTaskPacket p, HandoffConfig c, Instant now) {
    Optional<Instant> issued = p.issuedAt().instant();
    Optional<Instant> expires = p.expiresAt().instant();
    boolean legacy = c.reasonStyle() == HandoffConfig.ReasonStyle.V0_2_3;
    if (issued.isEmpty() || expires.isEmpty()) {
      return Optional.of(legacy ? Reasons.VALIDATION_FAILED : Reasons.MALFORMED_TIME_WINDOW);
    }
    Optional<String> code =
        c.profile() == HandoffConfig.Profile.REFERENCE && legacy
            ? v023(issued.get(), expires.get(), now)
            : v031(issued.get(), expires.get(), now, c);
    if (code.isEmpty() && c.profile() == HandoffConfig.Profile.OURS && c.maxPacketLifetime().isPresent()
        && Duration.between(issued.get(), expires.get()).compareTo(c.maxPacketLifetime().get()) > 0) {
      code = Optional.of(Reasons.LIFETIME_EXCEEDED);
    }
    return legacy ? code.map(r -> Reasons.VALIDATION_FAILED) : code;
  }

  private static Optional<String> v023(Instant issued, Instant expires, Instant now) {
    if (issued.minus(V023_TOLERANCE).isAfter(expires) || expires.plus(V023_TOLERANCE).isBefore(now)) {
      return Optional.of(Reasons.VALIDATION_FAILED);
    }
    return Optional.empty();
  }

  private static Optional<String> v031(Instant issued, Instant expires, Instant now, HandoffConfig c) {
    if (issued.isAfter(expires)) {
      return Optional.of(Reasons.MALFORMED_TIME_WINDOW);
    }
    if (issued.minus(c.issuanceSkew()).isAfter(now)) {
      return Optional.of(Reasons.ISSUED_IN_FUTURE);
    }
    if (expires.plus(c.expiryGrace()).isBefore(now)) {
      return Optional.of(Reasons.EXPIRED);
    }
    return Optional.empty();
  }
}
