package dev.handshake.delegation;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Our capability chain verification (trusthandoff.md §3 item 5): a chain, root first, grants
 * authority only if every link holds — each signature verifies (strict Base64, {@code Ed25519}),
 * each issuer's key is bound by the {@link IssuerKeys identity policy}, each capability is
 * currently valid and its window lies inside its parent's, each child is derived from its parent
 * and grants no more ({@link Attenuation}), the root is issued by a trust anchor, the leaf is for
 * the expected subject, nothing is revoked and the chain is not too long. The first failure is
 * reported; nothing throws.
 *
 * <pre>{@code
 * var verifier = CapabilityChainVerifier.of(
 *     CapabilityChainPolicy.of(IssuerKeys.registryOrDerived(registry), Set.of(rootId), clock));
 * if (verifier.verify(chain, packet.toAgent()) instanceof CapabilityChainResult.Invalid bad) {
 *   return reject(bad.reason().text());
 * }
 * }</pre>
 */
public final class CapabilityChainVerifier {
  private final CapabilityChainPolicy policy;

  private CapabilityChainVerifier(CapabilityChainPolicy policy) {
    this.policy = policy;
  }

  /** A verifier applying {@code policy}. */
  public static CapabilityChainVerifier of(CapabilityChainPolicy policy) {
    return new CapabilityChainVerifier(policy);
  }

  /** Verifies {@code chain} (root first) as authority for {@code expectedSubject}. */
  public CapabilityChainResult verify(List<DelegationCapability> chain, String expectedSubject) {
    if (chain.isEmpty()) {
      return CapabilityChainResult.invalid(-1, "no capabilities");
    }
    if (chain.size() > policy.maxLength()) {
      return CapabilityChainResult.invalid(
          -1, "chain of " + chain.size() + " is longer than " + policy.maxLength());
    }
    Instant now = policy.clock().instant();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < chain.size(); i++) {
      DelegationCapability cap = chain.get(i);
      if (!ids.add(cap.capabilityId())) {
        return CapabilityChainResult.invalid(i, "capability id repeats");
      }
      Optional<CapabilityChainResult.Invalid> bad = alone(cap, i, now);
      if (bad.isEmpty()) {
        bad = i == 0 ? root(cap) : link(chain.get(i - 1), cap, i);
      }
      if (bad.isPresent()) {
        return bad.get();
      }
    }
    DelegationCapability leaf = chain.getLast();
    if (!leaf.subjectAgent().equals(expectedSubject)) {
      return CapabilityChainResult.invalid(
          chain.size() - 1, "leaf subject is not the expected agent");
    }
    return new CapabilityChainResult.Valid(chain);
  }

  private Optional<CapabilityChainResult.Invalid> alone(
      DelegationCapability cap, int i, Instant now) {
    if (policy.revoked().test(cap.capabilityId())) {
      return fail(i, "capability revoked");
    }
    if (!CapabilitySignatures.verify(cap, PacketSignatures.Decoding.STRICT, true)) {
      return fail(i, "signature does not verify");
    }
    if (!policy.issuerKeys().binds(cap.issuerAgent(), cap.publicKey())) {
      return fail(i, "public_key is not bound to issuer_agent");
    }
    Optional<Instant> issued = cap.issuedAt().instant();
    Optional<Instant> expires = cap.expiresAt().instant();
    if (issued.isEmpty() || expires.isEmpty()) {
      return fail(i, "naive datetime");
    }
    if (issued.get().isAfter(expires.get())) {
      return fail(i, "issued_at after expires_at");
    }
    if (issued.get().minus(policy.skew()).isAfter(now)) {
      return fail(i, "issued in the future");
    }
    if (now.isAfter(expires.get())) {
      return fail(i, "expired");
    }
    return Optional.empty();
  }

  private Optional<CapabilityChainResult.Invalid> root(DelegationCapability root) {
    if (root.parentCapabilityId().isPresent()) {
      return fail(0, "parent capability missing from the chain");
    }
    if (!policy.trustAnchors().contains(root.issuerAgent())) {
      return fail(0, "root issuer is not a trust anchor");
    }
    return Optional.empty();
  }

  // Times are aware here: alone() has checked both capabilities.
  private Optional<CapabilityChainResult.Invalid> link(
      DelegationCapability parent, DelegationCapability child, int i) {
    if (!child.issuerAgent().equals(parent.subjectAgent())) {
      return fail(i, "issuer is not the parent's subject");
    }
    if (!child.parentCapabilityId().equals(Optional.of(parent.capabilityId()))) {
      return fail(i, "parent_capability_id mismatch");
    }
    if (child
        .issuedAt()
        .instant()
        .orElseThrow()
        .isBefore(parent.issuedAt().instant().orElseThrow())) {
      return fail(i, "issued before its parent");
    }
    if (child
        .expiresAt()
        .instant()
        .orElseThrow()
        .isAfter(parent.expiresAt().instant().orElseThrow())) {
      return fail(i, "expires after its parent");
    }
    return policy
        .attenuation()
        .grant(
            parent.delegatedPermissions(), parent.constraints(),
            child.delegatedPermissions(), child.constraints())
        .map(detail -> CapabilityChainResult.violation(i, detail));
  }

  private static Optional<CapabilityChainResult.Invalid> fail(int index, String detail) {
    return Optional.of(CapabilityChainResult.invalid(index, detail));
  }
}
