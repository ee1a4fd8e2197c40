package dev.handshake.relay;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines for drops and refusals, rate-limited (keep.md §3 item 9): at most {@value
 * #PER_SECOND} per second; the number suppressed is reported with the next line that passes.
 */
final class DropLog {
  static final int PER_SECOND = 20;
  private static final Logger log = LoggerFactory.getLogger("dev.handshake.relay.drops");

  private final Clock clock;
  private final AtomicLong windowSecond = new AtomicLong();
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  DropLog(Clock clock) {
    this.clock = clock;
  }

  void info(String format, Object... args) {
    if (log.isInfoEnabled() && admit()) {
      log.info(format, args);
    }
  }

  void warn(String format, Object... args) {
    if (log.isWarnEnabled() && admit()) {
      log.warn(format, args);
    }
  }

  private boolean admit() {
    long second = clock.millis() / 1000;
    long current = windowSecond.get();
    if (second != current && windowSecond.compareAndSet(current, second)) {
      inWindow.set(0);
      long dropped = suppressed.getAndSet(0);
      if (dropped > 0) {
        log.info("{} relay log lines suppressed", dropped);
      }
    }
    if (inWindow.incrementAndGet() <= PER_SECOND) {
      return true;
    }
    suppressed.incrementAndGet();
    return false;
  }
}
