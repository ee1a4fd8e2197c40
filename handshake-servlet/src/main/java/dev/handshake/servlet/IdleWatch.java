package dev.handshake.servlet;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onIdle} each time a socket has been silent for {@code interval} (hpp.md §2.5,
 * 0.2.1 heartbeat): one timer task per socket, re-armed after every firing and never closing the
 * socket. Inbound traffic only records a timestamp; the timer checks it when it fires, so a busy
 * socket costs no rescheduling.
 */
final class IdleWatch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IdleWatch.class);

  private final ScheduledExecutorService timer;
  private final long intervalNanos;
  private final Runnable onIdle;
  private volatile long quietSince = System.nanoTime();
  private @Nullable ScheduledFuture<?> next; // guarded by this
  private boolean stopped; // guarded by this

  IdleWatch(ScheduledExecutorService timer, Duration interval, Runnable onIdle) {
    this.timer = timer;
    this.intervalNanos = Math.max(1, interval.toNanos());
    this.onIdle = onIdle;
  }

  void start() {
    arm(intervalNanos);
  }

  /** An inbound message arrived. */
  void activity() {
    quietSince = System.nanoTime();
  }

  void stop() {
    synchronized (this) {
      stopped = true;
      if (next != null) {
        next.cancel(false);
        next = null;
      }
    }
  }

  @Override
  public void run() {
    long silent = System.nanoTime() - quietSince;
    if (silent < intervalNanos) {
      arm(intervalNanos - silent);
      return;
    }
    try {
      onIdle.run();
    } catch (RuntimeException e) {
      // a failed heartbeat must not end the timer: the next one may succeed
      LOG.warn("WebSocket heartbeat failed", e);
    }
    quietSince = System.nanoTime();
    arm(intervalNanos);
  }

  private synchronized void arm(long delayNanos) {
    if (stopped) {
      return;
    }
    try {
      next = timer.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      stopped = true; // the timer shut down with the web application
    }
  }
}
