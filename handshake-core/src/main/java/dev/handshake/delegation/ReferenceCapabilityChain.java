package dev.handshake.delegation;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Capability chain verification exactly as the reference does it (trusthandoff.md §2.8), for the
 * {@code reference} profile and for conformance tests: (1) any revoked capability id fails; (2)
 * with a registry, every issuer must resolve to exactly the capability's {@code public_key} and
 * every signature must verify (lenient Base64, {@code signature_algo} unread); (3) each child is a
 * derivation of its parent. It does not check the clock (vector N18 passes), {@code issued_at},
 * constraints or a root of trust, and <b>without a registry it checks no signature at all</b>
 * (vector N14 passes) — use {@link CapabilityChainVerifier} for anything that grants authority.
 */
public final class ReferenceCapabilityChain {
  private ReferenceCapabilityChain() {}

  /** {@code validate_capability_chain} plus revocation: derivation only, no signatures. */
  public static CapabilityChainResult verify(
      List<DelegationCapability> chain, Predicate<String> revoked) {
    return verify(chain, Optional.empty(), revoked);
  }

  /** {@code verify_capability_chain} with an {@code agent_id → PEM} registry, plus revocation. */
  public static CapabilityChainResult verify(
      List<DelegationCapability> chain,
      Function<String, Optional<String>> registry,
      Predicate<String> revoked) {
    return verify(chain, Optional.of(registry), revoked);
  }

  private static CapabilityChainResult verify(
      List<DelegationCapability> chain,
      Optional<Function<String, Optional<String>>> registry,
      Predicate<String> revoked) {
    for (int i = 0; i < chain.size(); i++) {
      if (revoked.test(chain.get(i).capabilityId())) {
        return CapabilityChainResult.invalid(i, "capability revoked");
      }
    }
    if (registry.isPresent()) {
      for (int i = 0; i < chain.size(); i++) {
        DelegationCapability cap = chain.get(i);
        if (!IssuerKeys.registry(registry.get()).binds(cap.issuerAgent(), cap.publicKey())) {
          return CapabilityChainResult.invalid(i, "issuer not registered with this key");
        }
        if (!CapabilitySignatures.verify(cap, PacketSignatures.Decoding.LENIENT, false)) {
          return CapabilityChainResult.invalid(i, "signature does not verify");
        }
      }
    }
    for (int i = 1; i < chain.size(); i++) {
      Optional<CapabilityChainResult.Invalid> bad = derivation(chain.get(i - 1), chain.get(i), i);
      if (bad.isPresent()) {
        return bad.get();
      }
    }
    return new CapabilityChainResult.Valid(chain);
  }

  /** The reference's derivation rule ({@code validate_capability_derivation}). */
  private static Optional<CapabilityChainResult.Invalid> derivation(
      DelegationCapability parent, DelegationCapability child, int index) {
    if (!parent.subjectAgent().equals(child.issuerAgent())) {
      return Optional.of(
          CapabilityChainResult.invalid(index, "issuer is not the parent's subject"));
    }
    if (!child.parentCapabilityId().equals(Optional.of(parent.capabilityId()))) {
      return Optional.of(CapabilityChainResult.invalid(index, "parent_capability_id mismatch"));
    }
    Optional<Integer> order = compare(child.expiresAt(), parent.expiresAt());
    if (order.isEmpty()) {
      // Python raises comparing a naive with an aware datetime; no decision is a failure here.
      return Optional.of(CapabilityChainResult.invalid(index, "naive and aware datetimes mixed"));
    }
    if (order.get() > 0) {
      return Optional.of(CapabilityChainResult.invalid(index, "expires after its parent"));
    }
    return Attenuation.reference()
        .permissions(parent.delegatedPermissions(), child.delegatedPermissions())
        .map(detail -> CapabilityChainResult.violation(index, detail));
  }

  // Python datetime ordering: instants when both are aware, wall-clock when both are naive.
  private static Optional<Integer> compare(HandoffTime a, HandoffTime b) {
    if (a.aware() != b.aware()) {
      return Optional.empty();
    }
    if (a.aware()) {
      return Optional.of(a.instant().orElseThrow().compareTo(b.instant().orElseThrow()));
    }
    LocalDateTime x = a.local();
    return Optional.of(x.compareTo(b.local()));
  }
}
