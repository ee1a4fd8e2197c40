package dev.handshake.store;

import java.time.Clock;

class InMemoryRateLimiterTest extends RateLimiterContract {
  @Override
  protected RateLimiter open(Clock clock) {
    return new InMemoryRateLimiter(clock);
  }
}
