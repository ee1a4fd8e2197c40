package dev.handshake.delegation;

/**
 * A packet, capability, envelope, decision or execution attestation that does not have the
 * reference model's shape: a missing required field, a value of the wrong type, an unreadable
 * datetime, an unknown field where the model forbids them. Verification turns it into a REJECT with
 * {@link #getMessage()} as detail; it never escapes a receiver.
 */
public final class MalformedPacketException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedPacketException(String message) {
    super(message);
  }
}
