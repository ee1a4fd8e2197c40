package dev.handshake.store.redis;

import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Units of work over Redis keys that run one at a time across every node: the Redis counterpart of
 * a SQL transaction that takes a lock first (SQLite's {@code BEGIN IMMEDIATE}, PostgreSQL's
 * advisory lock), for stores whose rules run in Java ({@code PairingService}, {@code
 * TransactionalDeviceStore}, the device flow's poll).
 *
 * <p><b>How.</b> A unit of work first takes a lock key ({@code SET NX PX} with a token unique to
 * this node and call), waiting at most {@link RedisTableOptions#lockWait}. It then reads straight
 * from Redis, where, with the lock held, nothing changes under it; its writes are only collected in
 * {@link Writes}. When the work returns, one Lua script checks that the lock still carries this
 * call's token, applies every collected write and deletes the lock, all without any other command
 * in between: the writes land together or not at all. When the work throws, nothing was sent, and
 * the lock is released with a compare-and-delete script (a lock that has meanwhile expired and gone
 * to another node is left alone). A unit of work that outlives {@link RedisTableOptions#lockLease}
 * (its node paused or died) loses the lock; its commit then finds another token and applies
 * nothing, and the caller gets {@link StoreUnavailableException}.
 *
 * <p>Threads of one node can first queue on a local fair lock, so that only one of them at a time
 * polls Redis for the lock (and the others are not starved by its retries).
 *
 * <p>A Redis failure during the commit may leave the caller unsure whether it was applied (the
 * command may have run before the connection broke); as with any database, the caller sees {@link
 * StoreUnavailableException} and a retry sees whichever state Redis holds.
 */
final class RedisTables {
  // KEYS[1] lock, KEYS[2..] keys written; ARGV[1] token, then per command: its name, the index of
  // its key in KEYS, its argument count, its arguments -> 1 applied, 0 lock lost (nothing applied)
  private static final LuaScript COMMIT =
      LuaScript.of(
          "table commit",
          """
          if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
          local allowed = {HSET = true, HDEL = true, ZADD = true, ZREM = true, SET = true,
            DEL = true, ZREMRANGEBYSCORE = true, ZREMRANGEBYRANK = true}
          local i = 2
          while i <= #ARGV do
            if not allowed[ARGV[i]] then
              return redis.error_reply('ERR not a table write: ' .. ARGV[i])
            end
            i = i + 3 + tonumber(ARGV[i + 2])
          end
          i = 2
          while i <= #ARGV do
            local n = tonumber(ARGV[i + 2])
            redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])], unpack(ARGV, i + 3, i + 2 + n))
            i = i + 3 + n
          end
          redis.call('DEL', KEYS[1])
          return 1
          """);

  // KEYS[1] lock; ARGV[1] token
  private static final LuaScript RELEASE =
      LuaScript.of(
          "table lock release",
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
          return 0
          """);

  private static final long MAX_BACKOFF_MS = 50;

  private final RedisConnection redis;
  private final String what;
  private final RedisTableOptions options;
  private final String tokenPrefix;
  private final AtomicLong tokens = new AtomicLong();
  private final @Nullable ReentrantLock local;

  private RedisTables(
      RedisConnection redis, String what, RedisTableOptions options, boolean queueLocally) {
    this.redis = redis;
    this.what = what;
    this.options = options;
    byte[] node = new byte[12];
    new SecureRandom().nextBytes(node);
    this.tokenPrefix = HexFormat.of().formatHex(node) + ":";
    this.local = queueLocally ? new ReentrantLock(true) : null;
  }

  /**
   * @param what names the store in error messages ("pairing tables")
   * @param queueLocally whether this node's threads queue on one local lock first (for stores with
   *     a single lock; not for per-row locks)
   */
  static RedisTables create(
      RedisConnection redis, String what, RedisTableOptions options, boolean queueLocally) {
    return new RedisTables(redis, what, options, queueLocally);
  }

  RedisConnection redis() {
    return redis;
  }

  RedisTableOptions options() {
    return options;
  }

  /**
   * Runs {@code work} holding the lock {@code lockName}, then applies the writes it collected, at
   * once; on a {@link RuntimeException} from it nothing is applied and the exception propagates.
   *
   * @throws StoreUnavailableException when the lock cannot be had within the wait, Redis does not
   *     answer, or the lease ran out before the commit (nothing applied)
   */
  <T> T run(String lockName, Function<Writes, T> work) {
    long deadline = System.nanoTime() + options.lockWait().toNanos();
    try {
      if (local != null && !local.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
      try {
        byte[] lockKey = redis.key(lockName);
        byte[] token = RedisConnection.utf8(tokenPrefix + tokens.incrementAndGet());
        acquire(lockKey, token, deadline);
        Writes writes = new Writes(redis, lockKey, token);
        T result;
        try {
          result = work.apply(writes);
        } catch (RuntimeException e) {
          try {
            release(lockKey, token);
          } catch (RuntimeException releaseFailed) {
            e.addSuppressed(releaseFailed);
          }
          throw e;
        }
        if (writes.isEmpty()) {
          release(lockKey, token);
        } else {
          commit(writes);
        }
        return result;
      } finally {
        if (local != null) {
          local.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for the " + what + " lock");
    }
  }

  private void acquire(byte[] lockKey, byte[] token, long deadline) throws InterruptedException {
    SetArgs args = SetArgs.Builder.nx().px(options.lockLease().toMillis());
    long backoffMillis = 1;
    while (redis.call("SET NX", c -> c.set(lockKey, token, args)) == null) {
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > deadline) {
        throw busy();
      }
      Thread.sleep(backoffMillis);
      backoffMillis = Math.min(MAX_BACKOFF_MS, backoffMillis * 2);
    }
  }

  private void release(byte[] lockKey, byte[] token) {
    redis.eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {lockKey}, token);
  }

  private void commit(Writes writes) {
    Long applied =
        redis.eval(
            COMMIT,
            ScriptOutputType.INTEGER,
            writes.keys.toArray(byte[][]::new),
            writes.args.toArray(byte[][]::new));
    if (applied == 0) {
      throw new StoreUnavailableException(
          "a unit of work on the "
              + what
              + " took longer than the lock lease "
              + options.lockLease()
              + " and was not saved (Redis at "
              + redis.address()
              + ")");
    }
  }

  private StoreUnavailableException busy() {
    return new StoreUnavailableException(
        "the "
            + what
            + " stayed locked for longer than "
            + options.lockWait()
            + " (Redis at "
            + redis.address()
            + ")");
  }

  /**
   * The writes of one unit of work, collected in order and applied together at commit. Key names
   * are given without the connection's prefix.
   */
  static final class Writes {
    private final RedisConnection redis;
    private final List<byte[]> keys = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final List<byte[]> args = new ArrayList<>();

    private Writes(RedisConnection redis, byte[] lockKey, byte[] token) {
      this.redis = redis;
      keys.add(lockKey);
      args.add(token);
    }

    boolean isEmpty() {
      return args.size() == 1;
    }

    void hset(String key, String field, byte[] value) {
      add("HSET", key, RedisConnection.utf8(field), value);
    }

    void hdel(String key, String field) {
      add("HDEL", key, RedisConnection.utf8(field));
    }

    void zadd(String key, long score, byte[] member) {
      add("ZADD", key, num(score), member);
    }

    void zadd(String key, long score, String member) {
      zadd(key, score, RedisConnection.utf8(member));
    }

    void zrem(String key, String member) {
      add("ZREM", key, RedisConnection.utf8(member));
    }

    void set(String key, byte[] value) {
      add("SET", key, value);
    }

    void del(String key) {
      add("DEL", key);
    }

    /** Removes members scored from {@code min} to {@code max}, both inclusive. */
    void zremRangeByScore(String key, long min, long max) {
      add("ZREMRANGEBYSCORE", key, num(min), num(max));
    }

    void zremRangeByRank(String key, long start, long stop) {
      add("ZREMRANGEBYRANK", key, num(start), num(stop));
    }

    private void add(String command, String key, byte[]... commandArgs) {
      int index =
          keyIndex.computeIfAbsent(
              key,
              k -> {
                keys.add(redis.key(k));
                return keys.size();
              });
      args.add(RedisConnection.utf8(command));
      args.add(num(index));
      args.add(num(commandArgs.length));
      args.addAll(List.of(commandArgs));
    }
  }

  static byte[] num(long n) {
    return RedisConnection.utf8(Long.toString(n));
  }
}
