package dev.handshake.pairing.auth;

import java.util.Optional;

/**
 * Which principal a session belongs to (PraisonAI's {@code SessionBindingProtocol}: {@code
 * bind(session_id, principal)}, {@code lookup(session_id)}): the Sessions capability binds the
 * paired principal that created a session, so later checks can ask who it was.
 */
public interface SessionBinding {
  /**
   * Binds {@code sessionId} to {@code principal}; a session already bound keeps its first
   * principal and this returns false.
   */
  boolean bind(String sessionId, Principal principal);

  Optional<Principal> lookup(String sessionId);

  /** Forgets the session (it ended); false when it was not bound. */
  boolean unbind(String sessionId);
}
