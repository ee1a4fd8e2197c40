package dev.handshake.store.redis;

/**
 * The Lua scripts of {@link RedisRelayRouter}. A directory entry {@code relay:id:<identity>} is the
 * holder's 32-byte public key followed by its node id; {@code string.sub(entry, 33)} is the node,
 * {@code string.sub(entry, 1, 32)} the key.
 */
final class RelayScripts {
  private RelayScripts() {}

  /**
   * KEYS[1] entry; ARGV entry wanted (pk ‖ node), lease ms, take-over ('1'), channel prefix, the
   * LOST message for the previous node → 1 held, 0 conflict. The same key (or a take-over) moves
   * the name and tells the node that held it.
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

  /** KEYS entries; ARGV[1] node → how many of them this node held and no longer does. */
  static final LuaScript RELEASE =
      LuaScript.of(
          "relay release",
          """
          local n = 0
          for _, key in ipairs(KEYS) do
            local cur = redis.call('GET', key)
            if cur and string.sub(cur, 33) == ARGV[1] then
              redis.call('DEL', key)
              n = n + 1
            end
          end
          return n
          """);

  /**
   * KEYS entries; ARGV node, lease ms, then one pk per key → the 1-based positions of the names
   * another node holds now (lost). Names this node holds, or nobody does (lapsed, or a restarted
   * Redis), are (re-)claimed for another lease.
   */
  static final LuaScript RENEW =
      LuaScript.of(
          "relay renew",
          """
          local lost = {}
          for i, key in ipairs(KEYS) do
            local cur = redis.call('GET', key)
            if (not cur) or string.sub(cur, 33) == ARGV[1] then
              redis.call('SET', key, ARGV[i + 2] .. ARGV[1], 'PX', ARGV[2])
            else
              lost[#lost + 1] = i
            end
          end
          return lost
          """);
}
