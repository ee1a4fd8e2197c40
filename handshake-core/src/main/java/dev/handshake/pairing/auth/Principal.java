package dev.handshake.pairing.auth;

import java.util.Map;
import java.util.Set;

/**
 * An authenticated caller: PraisonAI's {@code AuthProtocol.check} result ({@code user_id}, {@code
 * role}, {@code metadata}) with the scopes it holds.
 *
 * @param id {@code operator:default}, {@code telegram:default:123} …
 * @param role {@code operator}, {@code paired}, {@code device} …
 */
public record Principal(String id, String role, Set<String> scopes, Map<String, String> metadata) {
  public Principal {
    scopes = Set.copyOf(scopes);
    metadata = Map.copyOf(metadata);
  }

  /** Whether the principal's scopes allow {@code needed} ({@link OperatorScope#allows}). */
  public boolean can(String needed) {
    return OperatorScope.allows(scopes, needed);
  }
}
