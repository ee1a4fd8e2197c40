package dev.handshake.store.redis;

import dev.handshake.pairing.Requester;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.TokenRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.Optional;

/**
 * Access tokens of paired principals (the device flow's tokens) in Redis, shared by every node: a
 * token issued on one node is accepted on all of them, and {@link #deleteAll} on one revokes it
 * everywhere. Only the token's HMAC is stored, as {@code AccessTokens} gives it.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code tokens} is a hash of token HMAC →
 * token row (JSON); {@code tokens-of:<requester>} a sorted set of one requester's HMACs scored by
 * issue time (ties in HMAC order, as the SPI's "issue time, then hash" asks); {@code token-owner} a
 * hash of HMAC → requester, so forgetting an expired token finds its requester's set; {@code
 * token-expiry} a sorted set of HMACs scored by expiry (epoch ms). Every operation is one Lua
 * script, so {@link #insert} keeps at most {@code keepPerRequester} tokens of a requester even when
 * several nodes issue at once.
 */
public final class RedisAccessTokenStore implements AccessTokenStore {
  private static final String TOKENS = "tokens";
  private static final String EXPIRY = "token-expiry";
  private static final String OWNER = "token-owner";
  private static final String TOKENS_OF = "tokens-of:";
  private static final int FORGET_BATCH = 1_000;

  // KEYS[1] tokens, KEYS[2] expiry, KEYS[3] owner, KEYS[4] the requester's set
  // ARGV hash, row, issued ms, expires ms, requester, keep, prefix of requesters' sets
  private static final LuaScript INSERT =
      LuaScript.of(
          "token insert",
          """
          local previous = redis.call('HGET', KEYS[3], ARGV[1])
          if previous and previous ~= ARGV[5] then
            redis.call('ZREM', ARGV[7] .. previous, ARGV[1])
          end
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
          redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
          redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
          local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[6])
          if excess > 0 then
            for _, h in ipairs(redis.call('ZRANGE', KEYS[4], 0, excess)) do
              if excess == 0 then break end
              if h ~= ARGV[1] then
                redis.call('ZREM', KEYS[4], h)
                redis.call('HDEL', KEYS[1], h)
                redis.call('ZREM', KEYS[2], h)
                redis.call('HDEL', KEYS[3], h)
                excess = excess - 1
              end
            end
          end
          return 1
          """);

  // KEYS[1] tokens, KEYS[2] expiry, KEYS[3] owner, KEYS[4] the requester's set -> number deleted
  private static final LuaScript DELETE_ALL =
      LuaScript.of(
          "token delete all",
          """
          local n = 0
          for _, h in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
            n = n + redis.call('HDEL', KEYS[1], h)
            redis.call('ZREM', KEYS[2], h)
            redis.call('HDEL', KEYS[3], h)
          end
          redis.call('DEL', KEYS[4])
          return n
          """);

  // KEYS[1] tokens, KEYS[2] expiry, KEYS[3] owner; ARGV cutoff ms (exclusive), batch, prefix of
  // requesters' sets -> number forgotten
  private static final LuaScript FORGET =
      LuaScript.of(
          "token forget",
          """
          local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
          for _, h in ipairs(old) do
            local owner = redis.call('HGET', KEYS[3], h)
            if owner then
              redis.call('ZREM', ARGV[3] .. owner, h)
              redis.call('HDEL', KEYS[3], h)
            end
            redis.call('HDEL', KEYS[1], h)
            redis.call('ZREM', KEYS[2], h)
          end
          return #old
          """);

  private final RedisConnection redis;

  private RedisAccessTokenStore(RedisConnection redis) {
    this.redis = redis;
  }

  /** The token store on {@code redis}. */
  public static RedisAccessTokenStore create(RedisConnection redis) {
    return new RedisAccessTokenStore(redis);
  }

  @Override
  public void insert(TokenRecord token, int keepPerRequester) {
    if (keepPerRequester < 1) {
      throw new IllegalArgumentException("keepPerRequester must be at least 1");
    }
    String owner = PairingRows.requesterKey(token.requester());
    redis.eval(
        INSERT,
        ScriptOutputType.INTEGER,
        new byte[][] {
          redis.key(TOKENS), redis.key(EXPIRY), redis.key(OWNER), redis.key(TOKENS_OF + owner)
        },
        RedisConnection.utf8(token.tokenHash()),
        row(token),
        RedisTables.num(token.issuedAt().toEpochMilli()),
        RedisTables.num(token.expiresAt().toEpochMilli()),
        RedisConnection.utf8(owner),
        RedisTables.num(keepPerRequester),
        redis.key(TOKENS_OF));
  }

  @Override
  public Optional<TokenRecord> find(String tokenHash) {
    byte[] stored =
        redis.call("HGET", c -> c.hget(redis.key(TOKENS), RedisConnection.utf8(tokenHash)));
    return Optional.ofNullable(stored).map(RedisAccessTokenStore::read);
  }

  @Override
  public int deleteAll(Requester requester) {
    Long n =
        redis.eval(
            DELETE_ALL,
            ScriptOutputType.INTEGER,
            new byte[][] {
              redis.key(TOKENS),
              redis.key(EXPIRY),
              redis.key(OWNER),
              redis.key(TOKENS_OF + PairingRows.requesterKey(requester))
            });
    return n.intValue();
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
              new byte[][] {redis.key(TOKENS), redis.key(EXPIRY), redis.key(OWNER)},
              RedisTables.num(cutoff.toEpochMilli()),
              RedisTables.num(FORGET_BATCH),
              redis.key(TOKENS_OF));
      total += (int) n;
    } while (n == FORGET_BATCH);
    return total;
  }

  /** Nothing to release: the connection belongs to the caller. */
  @Override
  public void close() {}

  static byte[] row(TokenRecord t) {
    return JsonRow.create()
        .put("tokenHash", t.tokenHash())
        .put("channel", t.requester().channelType())
        .put("account", t.requester().accountId())
        .put("sender", t.requester().senderId())
        .put("scopes", t.scopes())
        .put("issuedAt", t.issuedAt())
        .put("expiresAt", t.expiresAt())
        .put("grantRef", t.grantRef())
        .putString("jkt", t.jkt())
        .bytes();
  }

  static TokenRecord read(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new TokenRecord(
        row.string("tokenHash"),
        new Requester(row.string("channel"), row.string("account"), row.string("sender")),
        row.strings("scopes"),
        row.instant("issuedAt"),
        row.instant("expiresAt"),
        row.string("grantRef"),
        row.optionalString("jkt"));
  }
}
