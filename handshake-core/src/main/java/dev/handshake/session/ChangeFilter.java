package dev.handshake.session;

import java.time.Instant;
import java.util.Optional;

/**
 * Which change-log entries a diff returns (hpp.md §2.6, §3 item 9): none given means "the last
 * N"; {@code sinceSeq} is our cursor; {@code since} is compared as an instant (ours) or as a
 * string (reference).
 */
record ChangeFilter(Optional<Long> afterSeq, Optional<Instant> after, Optional<String> afterText) {

  static ChangeFilter of(String since, Optional<String> sinceSeq, boolean compareAsString) {
    if (sinceSeq.isPresent() && !sinceSeq.get().isEmpty()) {
      try {
        return new ChangeFilter(
            Optional.of(Long.parseLong(sinceSeq.get().trim())), Optional.empty(), Optional.empty());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid sinceSeq");
      }
    }
    if (since.isEmpty()) {
      return new ChangeFilter(Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (compareAsString) {
      return new ChangeFilter(Optional.empty(), Optional.empty(), Optional.of(since));
    }
    Instant instant =
        Timestamps.parse(since).orElseThrow(() -> new IllegalArgumentException("invalid since"));
    return new ChangeFilter(Optional.empty(), Optional.of(instant), Optional.empty());
  }

  boolean isNone() {
    return afterSeq.isEmpty() && after.isEmpty() && afterText.isEmpty();
  }

  boolean accepts(Change c) {
    if (afterSeq.isPresent()) {
      return c.seq() > afterSeq.get();
    }
    if (afterText.isPresent()) {
      return Timestamps.format(c.atMicros()).compareTo(afterText.get()) > 0;
    }
    return after.isPresent() && Timestamps.instant(c.atMicros()).isAfter(after.get());
  }
}
