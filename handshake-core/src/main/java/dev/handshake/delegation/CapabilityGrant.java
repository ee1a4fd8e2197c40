package dev.handshake.delegation;

import java.util.Optional;

/**
 * What an issuer grants when it mints a capability: the id, the subject, the permissions and
 * constraints, and the validity window. {@link CapabilityDerivation} turns it into a signed {@link
 * DelegationCapability}.
 */
public record CapabilityGrant(
    String capabilityId,
    String subjectAgent,
    Permissions permissions,
    Optional<Constraints> constraints,
    HandoffTime issuedAt,
    HandoffTime expiresAt) {

  /** A grant without constraints. */
  public static CapabilityGrant of(
      String capabilityId,
      String subjectAgent,
      Permissions permissions,
      HandoffTime issuedAt,
      HandoffTime expiresAt) {
    return new CapabilityGrant(
        capabilityId, subjectAgent, permissions, Optional.empty(), issuedAt, expiresAt);
  }
}
