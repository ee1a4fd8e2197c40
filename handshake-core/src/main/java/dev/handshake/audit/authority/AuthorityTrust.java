package dev.handshake.audit.authority;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which keys an {@link AuthorityVerifier} believes. {@code roots} are trust anchors configured out
 * of band: a chain must start at one of them, and a root's id may be any label ({@code
 * "acme_corp"}). {@code knownAgents} only locate keys for intermediate issuers whose statements did
 * not carry {@code subject_public_key} (reference statements): they are indexed by the AISS id
 * derived from each key, so a key can only ever stand for the agent it belongs to and adding one
 * grants no trust.
 */
public record AuthorityTrust(
    Map<String, Ed25519PublicKey> roots, Map<String, Ed25519PublicKey> knownAgents) {
  public AuthorityTrust {
    roots = Map.copyOf(roots);
    knownAgents = Map.copyOf(knownAgents);
    for (Map.Entry<String, Ed25519PublicKey> agent : knownAgents.entrySet()) {
      if (!AgentIds.isAissIdOf(agent.getKey(), agent.getValue())) {
        throw new IllegalArgumentException("known agent keys must be indexed by their AISS id");
      }
    }
  }

  /** Trust anchored at one root. */
  public static AuthorityTrust root(String rootId, Ed25519PublicKey rootKey) {
    return new AuthorityTrust(Map.of(rootId, rootKey), Map.of());
  }

  /** Trust anchored at several roots. */
  public static AuthorityTrust roots(Map<String, Ed25519PublicKey> roots) {
    return new AuthorityTrust(roots, Map.of());
  }

  /** The same trust, also able to find the keys of these agents when a chain passes them. */
  public AuthorityTrust withKnownAgents(Collection<Ed25519PublicKey> keys) {
    Map<String, Ed25519PublicKey> known = new HashMap<>(knownAgents);
    keys.forEach(k -> known.put(AgentIds.aiss(k), k));
    return new AuthorityTrust(roots, known);
  }

  Optional<Ed25519PublicKey> root(String id) {
    return Optional.ofNullable(roots.get(id));
  }

  /** A key for a non-first issuer: a configured root, or a known agent whose id it derives. */
  Optional<Ed25519PublicKey> issuer(String id) {
    return Optional.ofNullable(roots.get(id)).or(() -> Optional.ofNullable(knownAgents.get(id)));
  }
}
