package dev.handshake.delegation;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SubjectPublicKeyInfo PEM text a TrustHandoff packet or capability carries. The text is
 * itself signed and compared as a string, so this only tells which key it names; it accepts what
 * Python's {@code cryptography} loader accepts for Ed25519 (any line layout of the Base64 body,
 * surrounding whitespace) and nothing that is not an Ed25519 key.
 */
public final class PublicKeyPem {
  private static final Pattern PEM =
      Pattern.compile(
          "\\s*-----BEGIN PUBLIC KEY-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n?-----END PUBLIC KEY-----\\s*");
  private static final int SPKI_SIZE = 44;
  /**
   * Recently parsed PEM texts. A receiver sees the same few senders over and over, and decoding
   * the curve point costs a fair part of a signature check; the PEM text (public, not secret) is
   * the key. Cleared when full, so it stays bounded without an eviction order to maintain.
   */
  private static final int CACHE_SIZE = 4096;

  private record Parsed(Optional<Ed25519PublicKey> key, Optional<String> derivedId) {}

  private static final java.util.concurrent.ConcurrentHashMap<String, Parsed> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PublicKeyPem() {}

  /** The Ed25519 key {@code pem} names, or empty for anything else (RSA, garbage, bad Base64). */
  public static Optional<Ed25519PublicKey> parse(String pem) {
    return parsed(pem).key();
  }

  /** The TrustHandoff id ({@link AgentIds#trustHandoff}) of the key {@code pem} names, if any. */
  public static Optional<String> derivedId(String pem) {
    return parsed(pem).derivedId();
  }

  private static Parsed parsed(String pem) {
    Parsed cached = CACHE.get(pem);
    if (cached != null) {
      return cached;
    }
    Optional<Ed25519PublicKey> key = decode(pem);
    Parsed parsed = new Parsed(key, key.map(AgentIds::trustHandoff));
    if (pem.length() <= 512) {
      if (CACHE.size() >= CACHE_SIZE) {
        CACHE.clear();
      }
      CACHE.put(pem, parsed);
    }
    return parsed;
  }

  private static Optional<Ed25519PublicKey> decode(String pem) {
    Matcher m = PEM.matcher(pem);
    if (!m.matches()) {
      return Optional.empty();
    }
    String body = m.group(1).replace("\r", "").replace("\n", "");
    Optional<byte[]> der = Base64Text.decodeStrict(body);
    if (der.isEmpty() || der.get().length != SPKI_SIZE) {
      return Optional.empty();
    }
    byte[] raw = Arrays.copyOfRange(der.get(), SPKI_SIZE - Ed25519PublicKey.SIZE, SPKI_SIZE);
    return Ed25519PublicKey.parse(raw)
        .filter(k -> Arrays.equals(AgentIds.spki(k), der.get()));
  }

  /** The PEM text the reference writes for {@code key}: three lines and a final newline. */
  public static String of(Ed25519PublicKey key) {
    return AgentIds.pem(key);
  }
}
