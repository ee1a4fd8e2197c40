package dev.handshake.store.redis;

/**
 * The Lua scripts of {@link RedisRelayRouter}. A directory entry {@code relay:id:<identity>} is the
 * holder's 32-byte public key followed by its node id; {@code string.sub(entry, 33)} is the node,
 * {@code string.sub(entry, 1, 32)} the key. The index {@code relay:ids} is a sorted set of the
 * identities, each scored by the expiry of its entry's lease (ms of the Redis server's clock, so
 * that nodes whose clocks disagree still agree on it); it is what discovery counts and lists.
 * Members whose score passed are dead (their entry lapsed with it) and are trimmed on the next
 * claim or renewal.
 */
final class RelayScripts {
  private RelayScripts() {}

  /** Lua: {@code now}, the Redis server's time in ms. */
  private static final String NOW =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  /**
   * KEYS[1] entry, KEYS[2] index; ARGV entry wanted (pk ‖ node), lease ms, take-over ('1'),
   * channel prefix, the LOST message for the previous node, the identity → 1 held, 0 conflict. The
   * same key (or a take-over) moves the name and tells the node that held it.
   */
  static final LuaScript CLAIM =
      LuaScript.of(
          "relay claim",
          """
          local cur = redis.call('GET', KEYS[1])
          if cur and cur ~= ARGV[1] then
            if string.sub(cur, 1, 32) ~= string.sub(ARGV[1], 1, 32) and ARGV[3] ~= '1' then
              return 0
            end
            local previous = string.sub(cur, 33)
            if previous ~= string.sub(ARGV[1], 33) then
              redis.call('PUBLISH', ARGV[4] .. previous, ARGV[5])
            end
          end
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          """
              + NOW
              + """
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
              redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[6])
              return 1
              """);

  /**
   * KEYS[1] entry; ARGV channel prefix, message → 1 when the holder's node received it, 0 when no
   * node holds the name or nobody listens on the holder's channel (a dead node).
   */
  static final LuaScript SEND =
      LuaScript.of(
          "relay send",
          """
          local cur = redis.call('GET', KEYS[1])
          if not cur then return 0 end
          if redis.call('PUBLISH', ARGV[1] .. string.sub(cur, 33), ARGV[2]) > 0 then return 1 end
          return 0
          """);

  /**
   * KEYS[1] index, then entries; ARGV[1] node, then the identity of each entry (ARGV[i] for
   * KEYS[i]) → how many of them this node held and no longer does.
   */
  static final LuaScript RELEASE =
      LuaScript.of(
          "relay release",
          """
          local n = 0
          for i = 2, #KEYS do
            local cur = redis.call('GET', KEYS[i])
            if cur and string.sub(cur, 33) == ARGV[1] then
              redis.call('DEL', KEYS[i])
              redis.call('ZREM', KEYS[1], ARGV[i])
              n = n + 1
            end
          end
          return n
          """);

  /**
   * KEYS[1] index, then n entries; ARGV node, lease ms, then one pk per entry, then one identity
   * per entry → the 1-based positions (among the entries) of the names another node holds now
   * (lost). Names this node holds, or nobody does (lapsed, or a restarted Redis), are (re-)claimed
   * for another lease.
   */
  static final LuaScript RENEW =
      LuaScript.of(
          "relay renew",
          NOW
              + """
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
              local n = #KEYS - 1
              local lost = {}
              for i = 1, n do
                local cur = redis.call('GET', KEYS[i + 1])
                if (not cur) or string.sub(cur, 33) == ARGV[1] then
                  redis.call('SET', KEYS[i + 1], ARGV[i + 2] .. ARGV[1], 'PX', ARGV[2])
                  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[n + 2 + i])
                else
                  lost[#lost + 1] = i
                end
              end
              return lost
              """);

  /**
   * KEYS[1] index; ARGV limit → {live identities, up to limit of their names}. Read-only: dead
   * members are skipped by score, not removed.
   */
  static final LuaScript AGENTS =
      LuaScript.of(
          "relay agents",
          NOW
              + """
              local online = redis.call('ZCOUNT', KEYS[1], now + 1, '+inf')
              local names = {}
              if tonumber(ARGV[1]) > 0 then
                names = redis.call('ZRANGEBYSCORE', KEYS[1], now + 1, '+inf', 'LIMIT', 0, ARGV[1])
              end
              return {online, names}
              """);
}
