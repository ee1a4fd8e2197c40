package dev.handshake.store.redis;

import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A {@link ReplayStore} in Redis, shared by every node of a receiver, so a delegation packet
 * accepted on one node is a replay on all (trusthandoff.md §3 item 6).
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code replay:<name>} is one sorted set of
 * {@code (signer, nonce)} pairs scored by the epoch millisecond their retention ends. {@link
 * #checkAndRecord} is one Lua script: drop pairs whose retention ended at {@code now}, look the
 * pair up, refuse at the bound, add. A per-pair {@code SET NX PX} key would be simpler, but it
 * could neither honour the caller's {@code now} (the SPI decides expiry by the caller's clock, as
 * the in-memory and SQLite stores do) nor count live pairs for the bound; one sorted set does both,
 * atomically. The set itself expires when its last retention has passed, so an idle receiver leaves
 * nothing behind.
 *
 * <p><b>Bounded</b> at {@code maxEntries} live pairs (default 1,000,000, as {@link
 * InMemoryReplayStore}): at the bound a new pair is refused with {@link Outcome#FULL} rather than
 * evicting one that could still be replayed. A pair costs Redis about 100 bytes plus twice its
 * signer and nonce lengths.
 *
 * <p>Pairs are compared exactly: each is stored as the signer's length, then signer and nonce in
 * UTF-16, so any Java strings (NULs, unpaired surrogates) stay distinct. Every Redis failure
 * surfaces as {@link dev.handshake.store.StoreUnavailableException}, an {@link
 * java.io.UncheckedIOException} on which receivers fail closed.
 */
public final class RedisReplayStore implements ReplayStore {
  /** The set name of the delegation receivers' replay memory. */
  public static final String DEFAULT_NAME = "delegation";

  // KEYS[1] set; ARGV now, until, member, max -> 0 FIRST, 1 REPLAY, 2 FULL
  private static final LuaScript CHECK =
      LuaScript.of(
          "replay check",
          """
          local now = tonumber(ARGV[1])
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
          if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 2 end
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
          local keep = tonumber(ARGV[2]) - now
          if keep > 0 then
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl == -1 or ttl < keep then redis.call('PEXPIRE', KEYS[1], keep) end
          end
          return 0
          """);

  // KEYS[1] set; ARGV[1] now -> live pairs
  private static final LuaScript SIZE =
      LuaScript.of(
          "replay count",
          """
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
          return redis.call('ZCARD', KEYS[1])
          """);

  private final RedisConnection redis;
  private final byte[] key;
  private final long maxEntries;
  private volatile boolean closed;

  private RedisReplayStore(RedisConnection redis, String name, long maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.redis = redis;
    this.key = redis.key("replay:" + name);
    this.maxEntries = maxEntries;
  }

  /** The delegation replay memory, bounded at {@link InMemoryReplayStore#DEFAULT_MAX_ENTRIES}. */
  public static RedisReplayStore create(RedisConnection redis) {
    return create(redis, DEFAULT_NAME, InMemoryReplayStore.DEFAULT_MAX_ENTRIES);
  }

  /**
   * A replay memory named {@code name}: receivers with the same name on the same server share it.
   * Closing the store leaves the connection open; its owner closes it.
   */
  public static RedisReplayStore create(RedisConnection redis, String name, long maxEntries) {
    return new RedisReplayStore(redis, name, maxEntries);
  }

  @Override
  public Outcome checkAndRecord(String signer, String nonce, Instant retainUntil, Instant now) {
    ensureOpen();
    Long r =
        redis.eval(
            CHECK,
            ScriptOutputType.INTEGER,
            new byte[][] {key},
            num(now.toEpochMilli()),
            num(retainUntil.toEpochMilli()),
            member(signer, nonce),
            num(maxEntries));
    return switch (r.intValue()) {
      case 0 -> Outcome.FIRST;
      case 1 -> Outcome.REPLAY;
      case 2 -> Outcome.FULL;
      default -> throw new IllegalStateException("unexpected replay script result " + r);
    };
  }

  @Override
  public long size(Instant now) {
    ensureOpen();
    return redis.eval(SIZE, ScriptOutputType.INTEGER, new byte[][] {key}, num(now.toEpochMilli()));
  }

  /** Marks the store closed; the shared connection stays open. */
  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("replay store is closed");
    }
  }

  /** The signer's length, then the UTF-16 code units of both, copied as they are. */
  static byte[] member(String signer, String nonce) {
    ByteBuffer b = ByteBuffer.allocate(4 + 2 * (signer.length() + nonce.length()));
    b.putInt(signer.length());
    b.asCharBuffer().put(signer).put(nonce);
    return b.array();
  }

  private static byte[] num(long n) {
    return RedisConnection.utf8(Long.toString(n));
  }
}
