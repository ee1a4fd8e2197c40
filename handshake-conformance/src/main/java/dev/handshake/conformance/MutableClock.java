package dev.handshake.conformance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, for deterministic expiry and
 * rate-limit windows. Thread-safe; clocks derived with {@link #withZone} share the same instant.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public MutableClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start)), ZoneOffset.UTC);
  }

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward (or backward, for a negative amount) and returns the new instant. */
  public Instant advance(Duration by) {
    return now.updateAndGet(i -> i.plus(by));
  }

  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, newZone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
