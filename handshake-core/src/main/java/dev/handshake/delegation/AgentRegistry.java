package dev.handshake.delegation;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which public key each agent id may sign with, and which ids are revoked (the reference's {@code
 * AgentRegistry}, trusthandoff.md §2.1): {@code agent_id → public-key PEM text}, compared with a
 * packet's {@code public_key} as an exact string.
 */
public final class AgentRegistry {
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  public void register(String agentId, String publicKeyPem) {
    keys.put(agentId, publicKeyPem);
  }

  public Optional<String> resolve(String agentId) {
    return Optional.ofNullable(keys.get(agentId));
  }

  public boolean isRegistered(String agentId) {
    return keys.containsKey(agentId);
  }

  public void revoke(String agentId) {
    revoked.add(agentId);
  }

  public boolean isRevoked(String agentId) {
    return revoked.contains(agentId);
  }
}
