package dev.handshake.delegation;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Our capability step (trusthandoff.md §3 item 5, pipeline step 7): the packet's {@code
 * capability_token} is the leaf; its parents come from the packet's context key {@value
 * #CHAIN_KEY} (tokens, root first, covered by the packet signature) or from this receiver's store
 * of capabilities it already holds; the whole chain must verify under the {@link
 * CapabilityChainPolicy} (every signature, issuer binding, windows, trust anchor, narrowing) with
 * the packet's {@code to_agent} as the leaf subject, and the packet may ask for no more than the
 * leaf grants. A missing parent is {@code Invalid delegation chain}.
 */
public final class CapabilityAuthority implements CapabilityGate {
  /** Where a sender carries the parents of its leaf capability. */
  public static final String CHAIN_KEY = "trusthandoff.capability_chain";

  private final CapabilityChainPolicy policy;
  private final Map<String, DelegationCapability> held = new ConcurrentHashMap<>();

  public CapabilityAuthority(CapabilityChainPolicy policy) {
    this.policy = policy;
  }

  /** Adds a capability this receiver holds (for instance its own grant from the root). */
  public CapabilityAuthority hold(DelegationCapability capability) {
    held.put(capability.capabilityId(), capability);
    return this;
  }

  @Override
  public Optional<String> check(SignedTaskPacket packet, Instant now) {
    if (packet.capabilityToken().isEmpty()) {
      return Optional.empty();
    }
    CapabilityChainResult result = verify(packet);
    if (result instanceof CapabilityChainResult.Invalid invalid) {
      return Optional.of(invalid.reason().text());
    }
    DelegationCapability leaf = ((CapabilityChainResult.Valid) result).chain().getLast();
    return policy.attenuation()
        .grant(leaf.delegatedPermissions(), leaf.constraints(), packet.permissions(), packet.constraints())
        .map(v -> Reasons.POLICY_VIOLATION);
  }

  /**
   * The packet's capability chain, root first, when it verifies (an empty list when the packet
   * carries no token); empty when it cannot be assembled or does not verify.
   */
  Optional<java.util.List<DelegationCapability>> verifiedChain(SignedTaskPacket packet) {
    if (packet.capabilityToken().isEmpty()) {
      return Optional.of(java.util.List.of());
    }
    return verify(packet) instanceof CapabilityChainResult.Valid valid
        ? Optional.of(valid.chain())
        : Optional.empty();
  }

  /** Assembles the packet's chain (leaf from its token) and verifies it for its {@code to_agent}. */
  private CapabilityChainResult verify(SignedTaskPacket packet) {
    Optional<Deque<DelegationCapability>> chain = chainOf(packet);
    if (chain.isEmpty()) {
      return CapabilityChainResult.invalid(-1, "the chain cannot be assembled");
    }
    return CapabilityChainVerifier.of(policy).verify(java.util.List.copyOf(chain.get()), packet.toAgent());
  }

  /** Leaf back to root through the carried tokens, then the held capabilities; bounded. */
  private Optional<Deque<DelegationCapability>> chainOf(SignedTaskPacket packet) {
    Map<String, DelegationCapability> carried = new HashMap<>();
    DelegationCapability leaf;
    try {
      leaf = CapabilityTokens.decode(packet.capabilityToken().orElseThrow());
      JsonNode tokens = packet.context().get(CHAIN_KEY);
      if (tokens != null) {
        if (!tokens.isArray() || tokens.size() > policy.maxLength()) {
          return Optional.empty();
        }
        for (JsonNode t : tokens) {
          if (!t.isString()) {
            return Optional.empty();
          }
          DelegationCapability c = CapabilityTokens.decode(t.stringValue());
          carried.put(c.capabilityId(), c);
        }
      }
    } catch (MalformedPacketException e) {
      return Optional.empty();
    }
    return chainFrom(leaf, carried);
  }

  private Optional<Deque<DelegationCapability>> chainFrom(
      DelegationCapability leaf, Map<String, DelegationCapability> carried) {
    Deque<DelegationCapability> chain = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    DelegationCapability current = leaf;
    while (true) {
      if (!seen.add(current.capabilityId()) || chain.size() >= policy.maxLength()) {
        return Optional.empty();
      }
      chain.addFirst(current);
      Optional<String> parentId = current.parentCapabilityId();
      if (parentId.isEmpty()) {
        return Optional.of(chain);
      }
      DelegationCapability parent = carried.get(parentId.get());
      if (parent == null) {
        parent = held.get(parentId.get());
      }
      if (parent == null) {
        return Optional.empty();
      }
      current = parent;
    }
  }

  /**
   * Verifies a {@link CapabilityTokenEnvelope} sent to {@code receiverId} (trusthandoff.md §2.9
   * {@code verify_envelope_security}, hardened by §3 item 12): the token's whole chain first (leaf
   * subject = the receiver), then {@code issued_at} within {@code futureSkew} ahead and {@code
   * maxAge} behind, and only then the nonce, checked and recorded per issuer in {@code replay} —
   * so a forged envelope never burns one. Empty means accepted; otherwise the reason.
   */
  public Optional<String> verifyEnvelope(
      CapabilityTokenEnvelope envelope,
      String receiverId,
      ReplayStore replay,
      Instant now,
      java.time.Duration futureSkew,
      java.time.Duration maxAge) {
    DelegationCapability leaf;
    try {
      leaf = CapabilityTokens.decode(envelope.capabilityToken());
    } catch (MalformedPacketException e) {
      return Optional.of(Reasons.INVALID_CHAIN);
    }
    Optional<Deque<DelegationCapability>> chain = chainFrom(leaf, Map.of());
    if (chain.isEmpty()) {
      return Optional.of(Reasons.INVALID_CHAIN);
    }
    CapabilityChainResult result =
        CapabilityChainVerifier.of(policy).verify(java.util.List.copyOf(chain.get()), receiverId);
    if (result instanceof CapabilityChainResult.Invalid invalid) {
      return Optional.of(invalid.reason().text());
    }
    Optional<Instant> issued = envelope.issuedAt().instant();
    if (issued.isEmpty()) {
      return Optional.of(Reasons.MALFORMED_TIME_WINDOW);
    }
    if (issued.get().minus(futureSkew).isAfter(now)) {
      return Optional.of(Reasons.ISSUED_IN_FUTURE);
    }
    if (issued.get().plus(maxAge).isBefore(now)) {
      return Optional.of(Reasons.EXPIRED);
    }
    return switch (replay.checkAndRecord(
        leaf.issuerAgent(), envelope.nonce(), issued.get().plus(maxAge).plus(futureSkew), now)) {
      case FIRST -> Optional.empty();
      case REPLAY -> Optional.of(Reasons.REPLAY);
      case FULL -> Optional.of(Reasons.REPLAY_STORE_FULL);
    };
  }
}
