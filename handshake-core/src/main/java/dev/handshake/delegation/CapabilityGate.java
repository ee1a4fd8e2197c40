package dev.handshake.delegation;

import java.time.Instant;
import java.util.Optional;

/**
 * Step 7 of our receive pipeline: judges the authority a packet claims through its {@code
 * capability_token} (and the permissions it asks for against it). Empty means allowed; otherwise
 * the REJECT reason ({@link Reasons#INVALID_CHAIN} or {@link Reasons#POLICY_VIOLATION}).
 */
@FunctionalInterface
public interface CapabilityGate {
  /**
   * Without configured trust anchors no capability can be verified, so a packet that claims one
   * is refused; a packet without a token claims no delegated authority and passes.
   */
  CapabilityGate NO_TRUST_ANCHORS =
      (packet, now) -> packet.capabilityToken().isPresent()
          ? Optional.of(Reasons.INVALID_CHAIN)
          : Optional.empty();

  Optional<String> check(SignedTaskPacket packet, Instant now);
}
