package dev.handshake.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The branches of a forked chain and the reference's rule for which one is canonical (aiss.md
 * §2.4): most events carrying an RFC 3161 token first, then the earliest trusted timestamp, then
 * the longest, then the lowest final event hash — so every verifier picks the same branch.
 * (Reference data never carries {@code trusted_timestamp.rfc3161_token}, so in practice the length
 * decides; we keep the full rule for data that does.)
 *
 * <p>{@link #canonical(List, String)} applies that rule as the reference does: a token counts by
 * its mere presence and the "trusted" time is the event's unsigned {@code trusted_timestamp.timestamp}
 * (the reference's local clock). {@link #canonical(List, String, TrustedTimes)} applies the same
 * order to <em>verified</em> anchors only, e.g. {@code dev.handshake.audit.tsa.TimestampAnchors}
 * (sidecar tokens and verified reference tokens, genTime as the trusted time).
 */
public final class ForkBranches {
  private ForkBranches() {}

  /** Every branch that starts at a child of {@code forkPoint} (an event hash), each root to tip. */
  public static List<List<AuditEvent>> branches(List<AuditEvent> events, String forkPoint) {
    Map<String, List<AuditEvent>> children = new HashMap<>();
    for (AuditEvent e : events) {
      e.previousHash().ifPresent(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(e));
    }
    List<List<AuditEvent>> out = new ArrayList<>();
    for (AuditEvent child : children.getOrDefault(forkPoint, List.of())) {
      collect(child, new ArrayList<>(), children, out, events.size());
    }
    return out;
  }

  private static void collect(
      AuditEvent event,
      List<AuditEvent> path,
      Map<String, List<AuditEvent>> children,
      List<List<AuditEvent>> out,
      int limit) {
    List<AuditEvent> next = new ArrayList<>(path);
    next.add(event);
    List<AuditEvent> kids = children.getOrDefault(event.hash(), List.of());
    if (kids.isEmpty() || next.size() > limit) {
      out.add(List.copyOf(next));
      return;
    }
    for (AuditEvent kid : kids) {
      collect(kid, next, children, out, limit);
    }
  }

  /** The verified trusted time of an event, if it has one (an RFC 3161 genTime that verified). */
  @FunctionalInterface
  public interface TrustedTimes {
    Optional<Instant> trustedTime(AuditEvent event);
  }

  /**
   * The canonical branch after {@code forkPoint} by the reference's rule (token presence), or
   * empty when nothing descends from it.
   */
  public static Optional<List<AuditEvent>> canonical(List<AuditEvent> events, String forkPoint) {
    return branches(events, forkPoint).stream().min(ORDER);
  }

  /**
   * The canonical branch after {@code forkPoint} counting only events {@code anchors} vouches for:
   * most anchored events first, then the earliest trusted time, then the longest branch, then the
   * lowest final event hash.
   */
  public static Optional<List<AuditEvent>> canonical(
      List<AuditEvent> events, String forkPoint, TrustedTimes anchors) {
    record Scored(List<AuditEvent> branch, long anchored, Instant earliest) {}
    Comparator<Scored> order =
        Comparator.<Scored>comparingLong(s -> -s.anchored())
            .thenComparing(Scored::earliest)
            .thenComparingInt(s -> -s.branch().size())
            .thenComparing(s -> s.branch().getLast().hash());
    return branches(events, forkPoint).stream()
        .map(b -> {
          long anchored = 0;
          Instant earliest = Instant.MAX;
          for (AuditEvent e : b) {
            Optional<Instant> t = anchors.trustedTime(e);
            if (t.isPresent()) {
              anchored++;
              earliest = t.get().isBefore(earliest) ? t.get() : earliest;
            }
          }
          return new Scored(b, anchored, earliest);
        })
        .min(order)
        .map(Scored::branch);
  }

  private static final Comparator<List<AuditEvent>> ORDER =
      Comparator.<List<AuditEvent>>comparingLong(b -> -anchored(b))
          .thenComparingLong(ForkBranches::earliestTrustedTime)
          .thenComparingInt(b -> -b.size())
          .thenComparing(b -> b.getLast().hash());

  private static long anchored(List<AuditEvent> branch) {
    return branch.stream()
        .filter(e -> {
          JsonNode token = e.view().path("trusted_timestamp").path("rfc3161_token");
          return !token.isMissingNode() && !token.isNull();
        })
        .count();
  }

  private static long earliestTrustedTime(List<AuditEvent> branch) {
    long earliest = Long.MAX_VALUE;
    for (AuditEvent e : branch) {
      JsonNode t = e.view().path("trusted_timestamp").path("timestamp");
      if (t.isNumber()) {
        earliest = Math.min(earliest, t.asLong());
      }
    }
    return earliest;
  }
}
