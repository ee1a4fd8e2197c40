package dev.handshake.relay;

/** A token bucket holding at most one second of tokens (frame-rate limits, keep.md §3 item 5). */
final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(int perSecond, long nowNanos) {
    this.ratePerNano = perSecond / 1e9;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  synchronized boolean tryTake(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
