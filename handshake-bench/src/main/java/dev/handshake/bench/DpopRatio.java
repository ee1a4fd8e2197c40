package dev.handshake.bench;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.dpop.DpopCheck;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.dpop.DpopKey;
import dev.handshake.pairing.dpop.DpopNonces;
import dev.handshake.pairing.dpop.DpopVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * DPoP proofs checked per second (EdDSA, with {@code ath}, replay recorded) as a ratio to the raw
 * Ed25519 verify rate of the same proofs' signing input, measured in alternating blocks ({@link
 * PairedRatio}). Everything a resource server does for a proof except the token lookup: JWS and
 * JWK parsing, thumbprint, claim checks, replay store.
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar dev.handshake.bench.DpopRatio
 * [rounds]}.
 */
public final class DpopRatio {
  private static final int POOL = 50_000;
  private static final String URL = "https://gw.example/v1/pairing/whoami";
  private static final String TOKEN = "k2C3m4N5p6Q7r8S9t0UvWxYz_AbCdEfGhIjKlMnOpQr";

  private DpopRatio() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    SecureRandom random = new SecureRandom();
    Ed25519PrivateKey seed = Ed25519PrivateKey.generate(random);
    DpopKey key = DpopKey.ed25519(seed, random);
    Instant now = Instant.now();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    String[] proofs = new String[POOL];
    for (int i = 0; i < POOL; i++) {
      proofs[i] = key.proof("GET", URL, Optional.of(TOKEN), Optional.empty(), now, "jti-" + i);
    }
    String first = proofs[0];
    byte[] input = first.substring(0, first.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = Base64.getUrlDecoder().decode(first.substring(first.lastIndexOf('.') + 1));
    Ed25519PublicKey pub = seed.publicKey();
    DpopConfig config = DpopConfig.defaults();
    DpopNonces nonces = DpopNonces.create(Pepper.random(random), clock, config);
    DpopVerifier[] verifier = {DpopVerifier.create(config, new InMemoryReplayStore(), nonces, clock)};
    int[] next = {0};
    PairedRatio paired = new PairedRatio(250, 12, rounds);
    System.out.println(paired.compare("DPoP proof / verify", () -> pub.verify(input, signature), () -> {
      if (next[0] == POOL) {
        next[0] = 0; // every jti used once: start over with an empty replay store
        verifier[0] = DpopVerifier.create(config, new InMemoryReplayStore(), nonces, clock);
      }
      DpopCheck c = verifier[0].check(proofs[next[0]++], "GET", "/v1/pairing/whoami",
          Optional.of("gw.example"), Optional.of(TOKEN));
      if (!(c instanceof DpopCheck.Valid)) {
        throw new IllegalStateException("proof refused: " + c);
      }
      return true;
    }, 1));
  }
}
