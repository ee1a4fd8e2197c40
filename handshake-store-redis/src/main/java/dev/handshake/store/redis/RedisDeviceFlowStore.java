package dev.handshake.store.redis;

import dev.handshake.pairing.flow.DeviceFlowStore;
import dev.handshake.pairing.flow.FlowState;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The device flow's states (RFC 8628) in Redis, shared by every node: a flow started on one node
 * can be polled on any other, and of several nodes polling one device code at once exactly one
 * issues its token.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code flows} is a hash of device-code HMAC
 * → flow (JSON; the device code itself is never stored), {@code flow-expiry} a sorted set of the
 * same HMACs scored by expiry (epoch ms) for {@link #forgetExpiredBefore}, {@code flow-lock:<hmac>}
 * exists while one node changes that flow.
 *
 * <p><b>Atomic polls.</b> {@link #update} takes the flow's lock, reads it, applies the change once
 * and writes the result back in one script that first checks the lock is still its own ({@link
 * RedisTables}); a change that throws writes nothing. Limits: {@link RedisTableOptions#lockLease}
 * and {@link RedisTableOptions#lockWait}.
 */
public final class RedisDeviceFlowStore implements DeviceFlowStore {
  private static final String FLOWS = "flows";
  private static final String EXPIRY = "flow-expiry";
  private static final int FORGET_BATCH = 1_000;

  // KEYS[1] flows, KEYS[2] expiry; ARGV hash, row, expiry ms -> 1 inserted, 0 present
  private static final LuaScript INSERT =
      LuaScript.of(
          "flow insert",
          """
          if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
          return 1
          """);

  // KEYS[1] flows, KEYS[2] expiry; ARGV cutoff ms (exclusive), batch -> number forgotten
  private static final LuaScript FORGET =
      LuaScript.of(
          "flow forget",
          """
          local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
          for _, h in ipairs(old) do
            redis.call('HDEL', KEYS[1], h)
            redis.call('ZREM', KEYS[2], h)
          end
          return #old
          """);

  private final RedisConnection redis;
  private final RedisTables tables;

  private RedisDeviceFlowStore(RedisConnection redis, RedisTables tables) {
    this.redis = redis;
    this.tables = tables;
  }

  /** The flow store on {@code redis}, with {@link RedisTableOptions#DEFAULTS}. */
  public static RedisDeviceFlowStore create(RedisConnection redis) {
    return create(redis, RedisTableOptions.DEFAULTS);
  }

  public static RedisDeviceFlowStore create(RedisConnection redis, RedisTableOptions options) {
    return new RedisDeviceFlowStore(
        redis, RedisTables.create(redis, "device flow store", options, false));
  }

  @Override
  public boolean insert(FlowState flow) {
    Long r =
        redis.eval(
            INSERT,
            ScriptOutputType.INTEGER,
            new byte[][] {redis.key(FLOWS), redis.key(EXPIRY)},
            RedisConnection.utf8(flow.deviceCodeHash()),
            row(flow),
            RedisTables.num(flow.expiresAt().toEpochMilli()));
    return r == 1;
  }

  @Override
  public Optional<FlowState> find(String deviceCodeHash) {
    byte[] stored =
        redis.call("HGET", c -> c.hget(redis.key(FLOWS), RedisConnection.utf8(deviceCodeHash)));
    return Optional.ofNullable(stored).map(RedisDeviceFlowStore::read);
  }

  @Override
  public <T> Optional<T> update(String deviceCodeHash, Function<FlowState, Change<T>> change) {
    return tables.run(
        "flow-lock:" + deviceCodeHash,
        writes -> {
          Optional<FlowState> current = find(deviceCodeHash);
          if (current.isEmpty()) {
            return Optional.<T>empty();
          }
          Change<T> c = change.apply(current.get());
          FlowState next = c.next();
          if (!next.deviceCodeHash().equals(deviceCodeHash)) {
            throw new IllegalArgumentException(
                "a change may not move a flow to another device code");
          }
          writes.hset(FLOWS, deviceCodeHash, row(next));
          writes.zadd(EXPIRY, next.expiresAt().toEpochMilli(), deviceCodeHash);
          return Optional.of(c.result());
        });
  }

  @Override
  public int forgetExpiredBefore(Instant cutoff) {
    int total = 0;
    long n;
    do {
      n =
          redis.eval(
              FORGET,
              ScriptOutputType.INTEGER,
              new byte[][] {redis.key(FLOWS), redis.key(EXPIRY)},
              RedisTables.num(cutoff.toEpochMilli()),
              RedisTables.num(FORGET_BATCH));
      total += (int) n;
    } while (n == FORGET_BATCH);
    return total;
  }

  /** Nothing to release: the connection belongs to the caller. */
  @Override
  public void close() {}

  static byte[] row(FlowState f) {
    return JsonRow.create()
        .put("deviceCodeHash", f.deviceCodeHash())
        .put("requestId", f.requestId())
        .put("clientId", f.clientId())
        .put("scopes", f.scopes())
        .put("intervalMs", f.interval().toMillis())
        .putInstant("lastPollAt", f.lastPollAt())
        .put("expiresAt", f.expiresAt())
        .put("issued", f.issued())
        .putString("jkt", f.jkt())
        .bytes();
  }

  static FlowState read(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new FlowState(
        row.string("deviceCodeHash"),
        row.string("requestId"),
        row.string("clientId"),
        row.strings("scopes"),
        Duration.ofMillis(row.number("intervalMs")),
        row.optionalInstant("lastPollAt"),
        row.instant("expiresAt"),
        row.flag("issued"),
        row.optionalString("jkt"));
  }
}
