package dev.handshake.store.redis;

import dev.handshake.pairing.PepperFingerprint;
import dev.handshake.pairing.PepperFingerprintStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;

/**
 * The fingerprint of the first node's pairing pepper in Redis ({@link PepperFingerprintStore}),
 * checked by every node that keeps pairing in this Redis ({@code serve --redis} without {@code
 * --db}) when it starts.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code pairing:pepper-check} is a string
 * holding the 64 hex characters of the fingerprint; it never expires. One Lua script does {@code
 * SET NX} and then {@code GET}, so of nodes starting at once on an empty Redis one writes and all
 * read the same value. A Redis that loses its data (no persistence, {@code FLUSHDB}) loses the
 * fingerprint with the pairings, and the next node to start records its own.
 */
public final class RedisPepperFingerprintStore implements PepperFingerprintStore {
  /** The key, after the connection's prefix. */
  public static final String KEY = "pairing:pepper-check";

  // KEYS[1] the fingerprint; ARGV[1] ours -> the stored one
  private static final LuaScript CLAIM =
      LuaScript.of(
          "pepper check",
          """
          redis.call('SET', KEYS[1], ARGV[1], 'NX')
          return redis.call('GET', KEYS[1])
          """);

  private final RedisConnection redis;

  private RedisPepperFingerprintStore(RedisConnection redis) {
    this.redis = redis;
  }

  /** The fingerprint store on {@code redis}. */
  public static RedisPepperFingerprintStore create(RedisConnection redis) {
    return new RedisPepperFingerprintStore(redis);
  }

  @Override
  public PepperFingerprint claim(PepperFingerprint ours) {
    byte[] stored =
        redis.eval(
            CLAIM,
            ScriptOutputType.VALUE,
            new byte[][] {redis.key(KEY)},
            ours.hex().getBytes(StandardCharsets.US_ASCII));
    try {
      return new PepperFingerprint(new String(stored, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Redis at " + redis.address() + " holds something else than a pepper fingerprint under "
              + redis.options().keyPrefix() + KEY,
          e);
    }
  }
}
