package dev.handshake.pairing.dpop;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Limits and switches of DPoP proof checking (RFC 9449 §4.3, §11).
 *
 * @param algorithms the JWS {@code alg} values accepted; only asymmetric ones are allowed
 *     (never {@code none} or a MAC), advertised in {@code WWW-Authenticate: DPoP algs="…"}
 * @param maxAge how old a proof's {@code iat} may be; proofs are also remembered this long
 *     against replay
 * @param futureSkew how far in the future a proof's {@code iat} may lie (client clocks differ)
 * @param maxProofBytes longest {@code DPoP} header looked at
 * @param maxJtiLength longest {@code jti} accepted
 * @param requireNonce whether every proof must carry a fresh server nonce ({@code DPoP-Nonce},
 *     RFC 9449 §8–9); off by default
 * @param nonceLifetime how long a server nonce stays usable
 * @param origins the scheme and authority ({@code https://example.com}) the server is reached
 *     at, for {@code htu}; empty means "the request's Host header, over http or https"
 * @param minRsaBits smallest RSA modulus accepted for {@code RS*}/{@code PS*}
 * @param requireProof whether the token endpoint issues only DPoP-bound tokens (a token request
 *     without a proof is refused); off by default so plain RFC 8628 clients keep working
 */
public record DpopConfig(
    List<String> algorithms,
    Duration maxAge,
    Duration futureSkew,
    int maxProofBytes,
    int maxJtiLength,
    boolean requireNonce,
    Duration nonceLifetime,
    List<String> origins,
    int minRsaBits,
    boolean requireProof) {
  /** Asymmetric algorithms we know how to check; anything else is refused in the constructor. */
  public static final Set<String> KNOWN = Set.of("EdDSA", "Ed25519", "ES256", "ES384", "ES512",
      "PS256", "PS384", "PS512", "RS256", "RS384", "RS512");

  public DpopConfig {
    algorithms = List.copyOf(algorithms);
    origins = List.copyOf(origins);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one DPoP algorithm is needed");
    }
    for (String a : algorithms) {
      if (!KNOWN.contains(a)) {
        throw new IllegalArgumentException("not an asymmetric JWS algorithm we check: " + a);
      }
    }
    requirePositive("maxAge", maxAge);
    requirePositive("nonceLifetime", nonceLifetime);
    if (futureSkew.isNegative()) {
      throw new IllegalArgumentException("futureSkew must not be negative");
    }
    if (maxProofBytes < 256 || maxJtiLength < 8 || minRsaBits < 2048) {
      throw new IllegalArgumentException(
          "maxProofBytes ≥ 256, maxJtiLength ≥ 8 and minRsaBits ≥ 2048 are required");
    }
    for (String o : origins) {
      if (!o.matches("https?://[^/?#\\s]+")) {
        throw new IllegalArgumentException("an origin is scheme://host[:port], got " + o);
      }
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /**
   * EdDSA first (what {@link DpopKey} signs with), then the ECDSA and RSA algorithms common
   * clients use; proofs at most 60 s old or 5 s ahead, 8 KiB, no nonce required, nonces live
   * 5 minutes, origins from the Host header.
   */
  public static DpopConfig defaults() {
    return new DpopConfig(List.of("EdDSA", "Ed25519", "ES256", "ES384", "ES512", "PS256", "RS256"),
        Duration.ofSeconds(60), Duration.ofSeconds(5), 8 * 1024, 256, false,
        Duration.ofMinutes(5), List.of(), 2048, false);
  }

  public DpopConfig withRequireNonce(boolean require) {
    return new DpopConfig(algorithms, maxAge, futureSkew, maxProofBytes, maxJtiLength, require,
        nonceLifetime, origins, minRsaBits, requireProof);
  }

  public DpopConfig withRequireProof(boolean require) {
    return new DpopConfig(algorithms, maxAge, futureSkew, maxProofBytes, maxJtiLength,
        requireNonce, nonceLifetime, origins, minRsaBits, require);
  }

  public DpopConfig withOrigins(List<String> newOrigins) {
    return new DpopConfig(algorithms, maxAge, futureSkew, maxProofBytes, maxJtiLength,
        requireNonce, nonceLifetime, newOrigins, minRsaBits, requireProof);
  }

  public DpopConfig withAlgorithms(List<String> newAlgorithms) {
    return new DpopConfig(newAlgorithms, maxAge, futureSkew, maxProofBytes, maxJtiLength,
        requireNonce, nonceLifetime, origins, minRsaBits, requireProof);
  }

  /** The {@code algs} parameter of a {@code WWW-Authenticate: DPoP} challenge. */
  public String algsText() {
    return String.join(" ", algorithms);
  }
}
