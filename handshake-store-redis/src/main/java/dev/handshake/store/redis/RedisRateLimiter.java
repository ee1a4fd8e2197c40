package dev.handshake.store.redis;

import dev.handshake.store.RateLimiter;
import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RateLimiter} in Redis, so that a limit holds across every node of a deployment: the same
 * sliding log as {@link dev.handshake.store.InMemoryRateLimiter}, one sorted set per key.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code rate:<key>} is a sorted set of hits
 * scored by their time (epoch ms of the node's clock); it expires one window after its last hit, so
 * idle keys cost nothing and {@link #sweep} has nothing to do. Each check is one Lua script (trim
 * the window, count, maybe add), so racing nodes never admit more than the limit between them.
 *
 * <p>Time comes from the injected clock, as in memory; nodes whose clocks disagree by {@code d} see
 * a window shifted by up to {@code d}. Every Redis failure surfaces as {@link
 * dev.handshake.store.StoreUnavailableException} within the connection's command timeout.
 */
public final class RedisRateLimiter implements RateLimiter {
  // KEYS[1] log; ARGV now, window ms, limit, member, mode -> -1 allowed, else retry-after ms
  private static final LuaScript CHECK =
      LuaScript.of(
          "rate limit",
          """
          local now = tonumber(ARGV[1])
          local window = tonumber(ARGV[2])
          local mode = ARGV[5]
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
          if mode ~= 'record' then
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              local first = now
              if oldest[2] then first = tonumber(oldest[2]) end
              return math.max(0, first + window - now)
            end
            if mode == 'peek' then return -1 end
          end
          redis.call('ZADD', KEYS[1], now, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window)
          return -1
          """);

  private static final byte[] ACQUIRE = RedisConnection.utf8("acquire");
  private static final byte[] PEEK = RedisConnection.utf8("peek");
  private static final byte[] RECORD = RedisConnection.utf8("record");

  private final RedisConnection redis;
  private final Clock clock;
  private final String memberPrefix;
  private final AtomicLong hits = new AtomicLong();

  private RedisRateLimiter(RedisConnection redis, Clock clock, SecureRandom random) {
    this.redis = redis;
    this.clock = clock;
    byte[] node = new byte[8];
    random.nextBytes(node);
    // hits in the same millisecond must stay distinct members of the set
    this.memberPrefix = HexFormat.of().formatHex(node) + ":";
  }

  /** A limiter reading time from {@code clock}. */
  public static RedisRateLimiter create(RedisConnection redis, Clock clock) {
    return new RedisRateLimiter(redis, clock, new SecureRandom());
  }

  @Override
  public Decision tryAcquire(String key, int limit, Duration window) {
    return check(key, limit, window, ACQUIRE);
  }

  @Override
  public Decision peek(String key, int limit, Duration window) {
    return check(key, limit, window, PEEK);
  }

  @Override
  public void record(String key, Duration window) {
    check(key, 0, window, RECORD);
  }

  /** Nothing to do: each key's log expires in Redis one window after its last hit. */
  @Override
  public void sweep() {}

  private Decision check(String key, int limit, Duration window, byte[] mode) {
    long windowMillis = Math.max(1, window.toMillis());
    Long r =
        redis.eval(
            CHECK,
            ScriptOutputType.INTEGER,
            new byte[][] {redis.key("rate:" + key)},
            num(clock.millis()),
            num(windowMillis),
            num(limit),
            RedisConnection.utf8(memberPrefix + hits.incrementAndGet()),
            mode);
    return r < 0 ? Decision.ALLOWED : new Decision.Limited(Duration.ofMillis(r));
  }

  private static byte[] num(long n) {
    return RedisConnection.utf8(Long.toString(n));
  }
}
