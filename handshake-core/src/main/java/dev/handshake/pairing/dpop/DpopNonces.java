package dev.handshake.pairing.dpop;

import dev.handshake.pairing.Pepper;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Server nonces for DPoP proofs ({@code DPoP-Nonce}, RFC 9449 §8–9), made without state: a nonce
 * is its issue time in seconds and a 128-bit MAC of that time under {@code
 * pepper.derive("dpop-nonce")}. Any node sharing the pepper accepts any other node's nonces, and
 * nothing has to be stored; a nonce is usable until {@code lifetime} after its issue.
 */
public final class DpopNonces {
  private static final int TIME_BYTES = 8;
  private static final int MAC_BYTES = 16;
  private static final int MAX_TEXT = 64;

  private final Pepper key;
  private final Clock clock;
  private final Duration lifetime;
  private final Duration futureSkew;

  private DpopNonces(Pepper pepper, Clock clock, Duration lifetime, Duration futureSkew) {
    this.key = pepper.derive("dpop-nonce");
    this.clock = clock;
    this.lifetime = lifetime;
    this.futureSkew = futureSkew;
  }

  public static DpopNonces create(Pepper pepper, Clock clock, DpopConfig config) {
    return new DpopNonces(pepper, clock, config.nonceLifetime(), config.futureSkew());
  }

  /** A fresh nonce to send in {@code DPoP-Nonce}. */
  public String issue() {
    return encode(clock.instant().getEpochSecond());
  }

  /** Whether {@code nonce} was issued by a node with this pepper and is still usable. */
  public boolean valid(String nonce) {
    if (nonce.isEmpty() || nonce.length() > MAX_TEXT) {
      return false;
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != TIME_BYTES + MAC_BYTES) {
      return false;
    }
    long seconds = ByteBuffer.wrap(raw, 0, TIME_BYTES).getLong();
    byte[] expected = mac(seconds);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, TIME_BYTES, raw.length))) {
      return false;
    }
    Instant issued = Instant.ofEpochSecond(seconds);
    Instant now = clock.instant();
    return !issued.isAfter(now.plus(futureSkew)) && now.isBefore(issued.plus(lifetime));
  }

  private String encode(long seconds) {
    ByteBuffer b = ByteBuffer.allocate(TIME_BYTES + MAC_BYTES);
    b.putLong(seconds).put(mac(seconds));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private byte[] mac(long seconds) {
    byte[] time = ByteBuffer.allocate(TIME_BYTES).putLong(seconds).array();
    return Arrays.copyOf(key.mac(time), MAC_BYTES);
  }

  @Override
  public String toString() {
    return "DpopNonces[lifetime=" + lifetime + "]";
  }
}
