package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Mints signed capabilities: a root issued by a trust anchor, and children derived from a parent by
 * its subject. Unlike the reference's derive helper (trusthandoff.md §2.8), a child carries the
 * deriving issuer's own key in {@code public_key}, so it verifies, and a child that would grant
 * more than its parent — an added action, a higher or unlimited limit, a looser constraint, a
 * window outside the parent's — is refused rather than signed.
 *
 * <pre>{@code
 * DelegationCapability child = CapabilityDerivation.derive(parent, grant, subjectKeyOfParent);
 * }</pre>
 */
public final class CapabilityDerivation {
  private CapabilityDerivation() {}

  /**
   * A root capability from {@code issuerAgent}, signed with {@code issuerKey}.
   *
   * @throws IllegalArgumentException when the grant's window is naive or inverted
   */
  public static DelegationCapability root(
      String issuerAgent, CapabilityGrant grant, Ed25519PrivateKey issuerKey) {
    window(grant);
    return mint(issuerAgent, Optional.empty(), grant, issuerKey);
  }

  /**
   * A child of {@code parent}, issued by the parent's subject and signed with {@code issuerKey}
   * (the subject's key; the verifier checks the binding).
   *
   * @throws IllegalArgumentException naming the escalation when the child would exceed the parent
   *     in any way, or when its window is naive or inverted
   */
  public static DelegationCapability derive(
      DelegationCapability parent, CapabilityGrant grant, Ed25519PrivateKey issuerKey) {
    Window window = window(grant);
    Optional<Instant> parentIssued = parent.issuedAt().instant();
    Optional<Instant> parentExpires = parent.expiresAt().instant();
    if (parentIssued.isEmpty() || parentExpires.isEmpty()) {
      throw new IllegalArgumentException("parent has a naive datetime");
    }
    if (window.issued().isBefore(parentIssued.get())) {
      throw new IllegalArgumentException("refused: child issued before its parent");
    }
    if (window.expires().isAfter(parentExpires.get())) {
      throw new IllegalArgumentException("refused: child expires after its parent");
    }
    Optional<String> escalation =
        Attenuation.strict()
            .grant(
                parent.delegatedPermissions(), parent.constraints(),
                grant.permissions(), grant.constraints());
    if (escalation.isPresent()) {
      throw new IllegalArgumentException("refused escalation: " + escalation.get());
    }
    return mint(parent.subjectAgent(), Optional.of(parent.capabilityId()), grant, issuerKey);
  }

  private record Window(Instant issued, Instant expires) {}

  private static Window window(CapabilityGrant grant) {
    Optional<Instant> issued = grant.issuedAt().instant();
    Optional<Instant> expires = grant.expiresAt().instant();
    if (issued.isEmpty() || expires.isEmpty()) {
      throw new IllegalArgumentException("capability datetimes must carry an offset");
    }
    if (issued.get().isAfter(expires.get())) {
      throw new IllegalArgumentException("issued_at is after expires_at");
    }
    return new Window(issued.get(), expires.get());
  }

  private static DelegationCapability mint(
      String issuerAgent,
      Optional<String> parentId,
      CapabilityGrant grant,
      Ed25519PrivateKey issuerKey) {
    DelegationCapability unsigned =
        new DelegationCapability(
            grant.capabilityId(),
            issuerAgent,
            grant.subjectAgent(),
            grant.permissions(),
            grant.constraints(),
            grant.issuedAt(),
            grant.expiresAt(),
            parentId,
            SignedTaskPacket.ED25519,
            "",
            PublicKeyPem.of(issuerKey.publicKey()));
    return CapabilitySignatures.sign(unsigned, issuerKey);
  }
}
