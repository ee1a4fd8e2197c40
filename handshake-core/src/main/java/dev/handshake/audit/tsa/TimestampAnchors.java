package dev.handshake.audit.tsa;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ForkBranches;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Verified trusted times for canonical-branch selection ({@link ForkBranches#canonical(java.util.List,
 * String, ForkBranches.TrustedTimes)}, aiss.md §4 item 6): an event counts as TSA-anchored only
 * when a token for it <em>verifies</em> — a sidecar record ({@link TimestampVerifier#verifyStored})
 * or the token embedded in a reference event ({@link TimestampVerifier#verifyReference}). Its
 * trusted time is the earliest verified genTime. The presence of a token field proves nothing.
 */
public final class TimestampAnchors implements ForkBranches.TrustedTimes {
  private final TimestampStore store;
  private final TimestampVerifier verifier;

  private TimestampAnchors(TimestampStore store, TimestampVerifier verifier) {
    this.store = store;
    this.verifier = verifier;
  }

  /** Anchors from {@code store} and embedded reference tokens, verified against {@code trust}. */
  public static TimestampAnchors of(TimestampStore store, TsaTrust trust) {
    return new TimestampAnchors(store, TimestampVerifier.of(trust));
  }

  @Override
  public Optional<Instant> trustedTime(AuditEvent event) {
    Stream<TimestampVerification> sidecar =
        store.forEvent(event.hash()).stream().map(verifier::verifyStored);
    Stream<TimestampVerification> embedded = verifier.verifyReference(event).stream();
    return Stream.concat(sidecar, embedded)
        .flatMap(v -> v instanceof TimestampVerification.Verified ok
            ? Stream.of(ok.timestamp().genTime())
            : Stream.empty())
        .min(Instant::compareTo);
  }
}
