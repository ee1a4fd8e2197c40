package dev.handshake.store.redis;

import dev.handshake.session.SessionState;
import dev.handshake.session.SessionStateCodec;
import dev.handshake.session.SessionStore;
import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in Redis, shared by every node of a deployment: any node can serve any
 * session, and a session expires in Redis with its idle timer.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code session:<id>} holds the session as
 * {@link SessionStateCodec} JSON, with a Redis expiry of the session's remaining idle time plus
 * {@link Options#expiryGrace} (so that a node's sweeper normally removes it first and tells its
 * sockets; the Redis expiry is the backstop when no node is running). {@code sessions} is a sorted
 * set of live ids scored by that same expiry (epoch ms), which counts live sessions for the {@code
 * maxLive} cap and lists them for {@link #removeIf}. {@code session-lock:<id>} exists while one
 * node changes the session.
 *
 * <p><b>Exclusive access.</b> {@link #update} takes the session's lock ({@code SET NX PX}, read in
 * the same script), applies the change once, and writes the result back only if it still holds the
 * lock and the session still exists, so a session removed meanwhile stays removed. The change runs
 * exactly once; it is never retried, since the engine's changes have side effects. Threads of one
 * node queue on a local lock first, so only one of them at a time waits on Redis. A lock held
 * longer than {@link Options#lockLease} (a node died mid-change) expires by itself; a change whose
 * lease ran out is not written and fails with {@link StoreUnavailableException}, as does waiting
 * longer than {@link Options#lockWait} for a lock.
 *
 * <p>Every Redis failure surfaces as {@link StoreUnavailableException} within the connection's
 * command timeout.
 */
public final class RedisSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);
  private static final long MAX_EXPIRY_MS = Duration.ofDays(3650).toMillis();

  /**
   * Limits of the session store.
   *
   * @param expiryGrace how long after its idle timer ran out Redis drops a session nobody removed
   *     (default 60 s: several sweep intervals, so sweepers get to close its sockets first)
   * @param lockLease how long a session lock lives if its holder never releases it (default 5 s)
   * @param lockWait how long {@link #update} waits for a lock another node holds (default 6 s,
   *     longer than the lease so a dead holder's lock is outwaited)
   * @param scanBatch sessions read per round trip by {@link #removeIf} (default 256)
   */
  public record Options(
      Duration expiryGrace, Duration lockLease, Duration lockWait, int scanBatch) {
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(6), 256);

    public Options {
      if (expiryGrace.isNegative()) {
        throw new IllegalArgumentException("expiryGrace must not be negative: " + expiryGrace);
      }
      if (lockLease.toMillis() < 1 || lockWait.toMillis() < 1) {
        throw new IllegalArgumentException("lockLease and lockWait must be at least 1 ms");
      }
      if (scanBatch < 1) {
        throw new IllegalArgumentException("scanBatch must be at least 1: " + scanBatch);
      }
    }
  }

  // KEYS[1] data, KEYS[2] lock; ARGV[1] token, ARGV[2] lease ms -> {0} no session, {2} locked,
  // {1, data} locked by us
  private static final LuaScript ACQUIRE =
      LuaScript.of(
          "session acquire",
          """
          if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
          if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
            return {1, redis.call('GET', KEYS[1])}
          end
          return {2}
          """);

  // KEYS[1] data, KEYS[2] lock, KEYS[3] index; ARGV token, data, px, score, id
  // -> 1 written, 0 lock lost, -1 session removed meanwhile
  private static final LuaScript WRITE =
      LuaScript.of(
          "session write",
          """
          if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
          redis.call('DEL', KEYS[2])
          if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
          return 1
          """);

  // KEYS[1] lock; ARGV[1] token
  private static final LuaScript RELEASE =
      LuaScript.of(
          "session release",
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
          return 0
          """);

  // KEYS[1] index, KEYS[2] data; ARGV now, maxLive, score, px, id, data -> 1, 0 full, -1 taken
  private static final LuaScript INSERT =
      LuaScript.of(
          "session insert",
          """
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
          local max = tonumber(ARGV[2])
          if max > 0 and redis.call('ZCARD', KEYS[1]) >= max then return 0 end
          if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
          redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[4])
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[5])
          return 1
          """);

  // KEYS[1] data, KEYS[2] index; ARGV[1] id -> number of data keys deleted
  private static final LuaScript REMOVE =
      LuaScript.of(
          "session remove",
          """
          local n = redis.call('DEL', KEYS[1])
          redis.call('ZREM', KEYS[2], ARGV[1])
          return n
          """);

  // KEYS[1] data, KEYS[2] lock, KEYS[3] index; ARGV token, id -> 1 removed, 0 gone, -1 lock lost
  private static final LuaScript REMOVE_LOCKED =
      LuaScript.of(
          "session remove locked",
          """
          if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
          redis.call('DEL', KEYS[2])
          local n = redis.call('DEL', KEYS[1])
          redis.call('ZREM', KEYS[3], ARGV[2])
          return n
          """);

  // KEYS[1] index, KEYS[2] data; ARGV[1] id -> 1 when this call unlisted a session that is gone
  private static final LuaScript FORGET =
      LuaScript.of(
          "session forget",
          """
          if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
          return redis.call('ZREM', KEYS[1], ARGV[1])
          """);

  // KEYS[1] index; ARGV[1] now -> live count
  private static final LuaScript SIZE =
      LuaScript.of(
          "session count",
          """
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
          return redis.call('ZCARD', KEYS[1])
          """);

  private final RedisConnection redis;
  private final Clock clock;
  private final Options options;
  private final byte[] index;
  private final String tokenPrefix;
  private final AtomicLong tokens = new AtomicLong();
  private final ConcurrentHashMap<String, LocalLock> localLocks = new ConcurrentHashMap<>();

  private RedisSessionStore(
      RedisConnection redis, Clock clock, Options options, SecureRandom random) {
    this.redis = redis;
    this.clock = clock;
    this.options = options;
    this.index = redis.key("sessions");
    byte[] node = new byte[12];
    random.nextBytes(node);
    this.tokenPrefix = HexFormat.of().formatHex(node) + ":";
  }

  /** A store with {@link Options#DEFAULTS}; {@code clock} must be the session engine's. */
  public static RedisSessionStore create(RedisConnection redis, Clock clock) {
    return create(redis, clock, Options.DEFAULTS);
  }

  public static RedisSessionStore create(RedisConnection redis, Clock clock, Options options) {
    return new RedisSessionStore(redis, clock, options, new SecureRandom());
  }

  public Options options() {
    return options;
  }

  @Override
  public boolean insert(SessionState session, int maxLive) {
    long now = clock.millis();
    long px = expiryMillis(session, now);
    Long r =
        redis.eval(
            INSERT,
            ScriptOutputType.INTEGER,
            new byte[][] {index, dataKey(session.id())},
            num(now),
            num(maxLive),
            num(now + px),
            num(px),
            RedisConnection.utf8(session.id()),
            SessionStateCodec.encode(session));
    if (r == -1) {
      throw new IllegalStateException("session id collision");
    }
    return r == 1;
  }

  @Override
  public <R> Optional<R> update(String sessionId, Function<SessionState, R> change) {
    return locked(
        sessionId,
        (token, stored) -> {
          SessionState s = SessionStateCodec.decode(stored);
          R result = change.apply(s);
          byte[] after = SessionStateCodec.encode(s);
          if (Arrays.equals(after, stored)) {
            release(sessionId, token);
          } else {
            write(sessionId, token, s, after);
          }
          return Optional.ofNullable(result);
        },
        Optional.empty());
  }

  @Override
  public boolean remove(String sessionId) {
    Long n =
        redis.eval(
            REMOVE,
            ScriptOutputType.INTEGER,
            new byte[][] {dataKey(sessionId), index},
            RedisConnection.utf8(sessionId));
    return n > 0;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads every listed session ({@link Options#scanBatch} per round trip), tests the predicate
   * on that snapshot, and for each match takes the session's lock, tests again and removes it; so
   * of several nodes sweeping at once, exactly one reports each removed id. Ids whose session Redis
   * already expired are unlisted and reported too, so their sockets get closed.
   */
  @Override
  public List<String> removeIf(Predicate<SessionState> expired) {
    List<String> removed = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs batch = ScanArgs.Builder.limit(options.scanBatch());
    do {
      ScanCursor from = cursor;
      ScoredValueScanCursor<byte[]> page = redis.call("ZSCAN", c -> c.zscan(index, from, batch));
      List<String> ids = new ArrayList<>();
      for (ScoredValue<byte[]> v : page.getValues()) {
        String id = new String(v.getValue(), StandardCharsets.UTF_8);
        if (seen.add(id)) {
          ids.add(id);
        }
      }
      if (!ids.isEmpty()) {
        byte[][] keys = ids.stream().map(this::dataKey).toArray(byte[][]::new);
        List<KeyValue<byte[], byte[]>> states = redis.call("MGET", c -> c.mget(keys));
        for (int i = 0; i < ids.size(); i++) {
          String id = ids.get(i);
          KeyValue<byte[], byte[]> kv = states.get(i);
          if (!kv.hasValue()) {
            if (forget(id)) {
              removed.add(id);
            }
          } else if (matches(id, kv.getValue(), expired) && removeLocked(id, expired)) {
            removed.add(id);
          }
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return removed;
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public int size() {
    Long n = redis.eval(SIZE, ScriptOutputType.INTEGER, new byte[][] {index}, num(clock.millis()));
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  // ---- locking --------------------------------------------------------------------------------

  @FunctionalInterface
  private interface LockedBody<T> {
    T run(String token, byte[] stored);
  }

  /**
   * Runs {@code body} holding the session's lock, with the session as stored; {@code absent} when
   * there is no such session. The body writes or releases; on an exception the lock is released
   * here.
   */
  private <T> T locked(String sessionId, LockedBody<T> body, T absent) {
    long deadline = System.nanoTime() + options.lockWait().toNanos();
    LocalLock local =
        localLocks.compute(sessionId, (k, v) -> v == null ? new LocalLock() : v.retain());
    try {
      if (!local.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
      try {
        String token = tokenPrefix + tokens.incrementAndGet();
        byte[] stored = acquire(sessionId, token, deadline);
        if (stored == null) {
          return absent;
        }
        try {
          return body.run(token, stored);
        } catch (RuntimeException e) {
          try {
            release(sessionId, token);
          } catch (RuntimeException releaseFailed) {
            e.addSuppressed(releaseFailed);
          }
          throw e;
        }
      } finally {
        local.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for a session lock");
    } finally {
      localLocks.computeIfPresent(sessionId, (k, v) -> v.releaseUse() ? null : v);
    }
  }

  /** Takes the Redis lock, retrying while another node holds it; null when there is no session. */
  private byte @Nullable [] acquire(String sessionId, String token, long deadline)
      throws InterruptedException {
    byte[][] keys = {dataKey(sessionId), lockKey(sessionId)};
    byte[] tokenBytes = RedisConnection.utf8(token);
    byte[] lease = num(options.lockLease().toMillis());
    long backoffMillis = 1;
    while (true) {
      List<Object> r = redis.eval(ACQUIRE, ScriptOutputType.MULTI, keys, tokenBytes, lease);
      long state = (Long) r.get(0);
      if (state == 0) {
        return null;
      }
      if (state == 1) {
        return (byte[]) r.get(1);
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > deadline) {
        throw busy();
      }
      Thread.sleep(backoffMillis);
      backoffMillis = Math.min(50, backoffMillis * 2);
    }
  }

  private StoreUnavailableException busy() {
    return new StoreUnavailableException(
        "a session stayed locked for longer than "
            + options.lockWait()
            + " (Redis at "
            + redis.address()
            + ")");
  }

  private void write(String sessionId, String token, SessionState s, byte[] data) {
    long now = clock.millis();
    long px = expiryMillis(s, now);
    Long r =
        redis.eval(
            WRITE,
            ScriptOutputType.INTEGER,
            new byte[][] {dataKey(sessionId), lockKey(sessionId), index},
            RedisConnection.utf8(token),
            data,
            num(px),
            num(now + px),
            RedisConnection.utf8(sessionId));
    if (r == 0) {
      throw new StoreUnavailableException(
          "a session change took longer than the lock lease "
              + options.lockLease()
              + " and was not saved");
    }
  }

  private void release(String sessionId, String token) {
    redis.eval(
        RELEASE,
        ScriptOutputType.INTEGER,
        new byte[][] {lockKey(sessionId)},
        RedisConnection.utf8(token));
  }

  private boolean matches(String id, byte[] stored, Predicate<SessionState> expired) {
    try {
      return expired.test(SessionStateCodec.decode(stored));
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping unreadable stored session: {}", e.getMessage());
      return false;
    }
  }

  private boolean removeLocked(String sessionId, Predicate<SessionState> expired) {
    return locked(
        sessionId,
        (token, stored) -> {
          if (!expired.test(SessionStateCodec.decode(stored))) {
            release(sessionId, token);
            return false;
          }
          Long r =
              redis.eval(
                  REMOVE_LOCKED,
                  ScriptOutputType.INTEGER,
                  new byte[][] {dataKey(sessionId), lockKey(sessionId), index},
                  RedisConnection.utf8(token),
                  RedisConnection.utf8(sessionId));
          return r == 1;
        },
        false);
  }

  /** Unlists an id whose session is gone; true when this call unlisted it. */
  private boolean forget(String sessionId) {
    Long r =
        redis.eval(
            FORGET,
            ScriptOutputType.INTEGER,
            new byte[][] {index, dataKey(sessionId)},
            RedisConnection.utf8(sessionId));
    return r == 1;
  }

  /** Milliseconds until Redis should drop the session: its remaining idle time plus the grace. */
  private long expiryMillis(SessionState s, long nowMillis) {
    long ttlMillis = Math.min(s.ttlSeconds(), MAX_EXPIRY_MS / 1000) * 1000;
    long remaining = s.touchedAtMicros() / 1000 + ttlMillis - nowMillis;
    return Math.clamp(remaining, 0, MAX_EXPIRY_MS) + Math.max(1, options.expiryGrace().toMillis());
  }

  private byte[] dataKey(String sessionId) {
    return redis.key("session:" + sessionId);
  }

  private byte[] lockKey(String sessionId) {
    return redis.key("session-lock:" + sessionId);
  }

  private static byte[] num(long n) {
    return RedisConnection.utf8(Long.toString(n));
  }

  /** A per-session local lock, dropped from the map when no thread uses it. */
  private static final class LocalLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private int users = 1;

    LocalLock retain() {
      users++;
      return this;
    }

    /** True when this was the last user. */
    boolean releaseUse() {
      return --users == 0;
    }
  }
}
