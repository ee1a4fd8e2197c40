package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The identity policy for capability issuers (trusthandoff.md §3 items 2 and 5): whether the key a
 * capability carries in {@code public_key} may speak for its {@code issuer_agent}. A capability
 * verifies under its own key, so without this binding anyone could sign a capability "from" any
 * agent.
 *
 * <pre>{@code
 * IssuerKeys keys = IssuerKeys.registryOrDerived(Map.of("agent:planner:alpha", plannerPem));
 * }</pre>
 */
@FunctionalInterface
public interface IssuerKeys {
  /** Whether {@code publicKeyPem} is a key {@code issuerAgent} signs with. */
  boolean binds(String issuerAgent, String publicKeyPem);

  /**
   * The default ({@code registry-or-derived}): the registered PEM when the issuer is registered
   * (exact string equality, as the reference compares), otherwise the issuer id must be the one
   * derived from the PEM (§2.1), and the PEM must be in the reference's three-line form, since the
   * id is a hash of that text.
   */
  static IssuerKeys registryOrDerived(Function<String, Optional<String>> registry) {
    return (issuer, pem) ->
        registry.apply(issuer).map(pem::equals).orElseGet(() -> derived().binds(issuer, pem));
  }

  /** {@link #registryOrDerived(Function)} over a fixed {@code agent_id → PEM} map. */
  static IssuerKeys registryOrDerived(Map<String, String> registry) {
    return registryOrDerived(lookup(registry));
  }

  /**
   * {@code registry}: the issuer must be registered with exactly this PEM; unknown issuers fail.
   */
  static IssuerKeys registry(Function<String, Optional<String>> registry) {
    return (issuer, pem) -> registry.apply(issuer).map(pem::equals).orElse(false);
  }

  /** {@link #registry(Function)} over a fixed {@code agent_id → PEM} map. */
  static IssuerKeys registry(Map<String, String> registry) {
    return registry(lookup(registry));
  }

  /** Only ids derived from the key: {@code issuer_agent} must be the PEM's TrustHandoff id. */
  static IssuerKeys derived() {
    return (issuer, pem) -> {
      Optional<Ed25519PublicKey> key = PublicKeyPem.parse(pem);
      return key.isPresent()
          && PublicKeyPem.of(key.get()).equals(pem)
          && AgentIds.trustHandoff(key.get()).equals(issuer);
    };
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> registry) {
    Map<String, String> copy = Map.copyOf(registry);
    return id -> Optional.ofNullable(copy.get(id));
  }
}
