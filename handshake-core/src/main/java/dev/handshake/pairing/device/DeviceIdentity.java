package dev.handshake.pairing.device;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device's Ed25519 public key and the id derived from it (pairing.md §2.4, §3.2 rule 7): {@code
 * deviceId = lowercase hex(SHA-256(raw 32-byte key))}, as OpenClaw derives it. The id is computed
 * here and nowhere else, so a claimed id is always checked against the key it claims.
 *
 * <pre>{@code
 * switch (DeviceIdentity.parse(publicKeyText)) {
 *   case DeviceIdentity.Parse.Valid v -> use(v.identity().deviceId());
 *   case DeviceIdentity.Parse.Invalid i -> refuse(i.reason());
 * }
 * }</pre>
 *
 * @param deviceId 64 lowercase hex characters, always the hash of {@code publicKey}
 */
public record DeviceIdentity(String deviceId, Ed25519PublicKey publicKey) {
  /** Length of a device id: hex of a SHA-256 digest. */
  public static final int ID_LENGTH = 64;
  /** Longest public key text accepted (a PEM with generous whitespace). */
  static final int MAX_KEY_TEXT = 512;

  private static final Pattern PEM =
      Pattern.compile("\\s*-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*"
          + "-----END PUBLIC KEY-----\\s*");
  private static final int SPKI_SIZE = 44;

  /** Holds the invariant: the id is the key's id. A mismatch is a programming mistake. */
  public DeviceIdentity {
    if (!deviceId.equals(idOf(publicKey))) {
      throw new IllegalArgumentException("deviceId is not the SHA-256 of the public key");
    }
  }

  /** The identity of {@code key}. */
  public static DeviceIdentity of(Ed25519PublicKey key) {
    return new DeviceIdentity(idOf(key), key);
  }

  /** Lowercase hex of SHA-256 of the raw 32 key bytes. */
  public static String idOf(Ed25519PublicKey key) {
    return Sha256.hex(key.raw());
  }

  /**
   * Reads a device's public key as devices send it: base64url of the raw 32 bytes (OpenClaw's
   * {@code publicKey} connect field), or a PEM SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC
   * KEY-----}, what {@code device.json} holds). Anything else is {@link Parse.Invalid}.
   */
  public static Parse parse(String text) {
    if (text.length() > MAX_KEY_TEXT) {
      return new Parse.Invalid("public key text longer than " + MAX_KEY_TEXT + " characters");
    }
    return text.stripLeading().startsWith("-----BEGIN") ? parsePem(text) : parseRaw(text);
  }

  private static Parse parseRaw(String text) {
    Optional<byte[]> raw = Base64Url.decode(text.strip(), MAX_KEY_TEXT);
    if (raw.isEmpty() || raw.get().length != Ed25519PublicKey.SIZE) {
      return new Parse.Invalid("not base64url of 32 raw Ed25519 public key bytes");
    }
    return fromRaw(raw.get());
  }

  private static Parse parsePem(String text) {
    Matcher m = PEM.matcher(text);
    if (!m.matches()) {
      return new Parse.Invalid("not a PEM PUBLIC KEY block");
    }
    Optional<byte[]> der = Base64Text.decodeStrict(m.group(1).replaceAll("\\s", ""));
    if (der.isEmpty() || der.get().length != SPKI_SIZE) {
      return new Parse.Invalid("PEM body is not an Ed25519 SubjectPublicKeyInfo");
    }
    byte[] raw = Arrays.copyOfRange(der.get(), SPKI_SIZE - Ed25519PublicKey.SIZE, SPKI_SIZE);
    Parse parsed = fromRaw(raw);
    if (parsed instanceof Parse.Valid v
        && !Arrays.equals(AgentIds.spki(v.identity().publicKey()), der.get())) {
      return new Parse.Invalid("PEM body is not an Ed25519 SubjectPublicKeyInfo");
    }
    return parsed;
  }

  private static Parse fromRaw(byte[] raw) {
    return Ed25519PublicKey.parse(raw)
        .<Parse>map(k -> new Parse.Valid(of(k)))
        .orElseGet(() -> new Parse.Invalid("not an Ed25519 curve point"));
  }

  /** Whether {@code claimed} is exactly this device's id (lowercase hex, no other form). */
  public boolean hasId(String claimed) {
    return deviceId.equals(claimed);
  }

  /** The key as devices send it: unpadded base64url of the raw 32 bytes. */
  public String publicKeyBase64Url() {
    return Base64Url.encode(publicKey.raw());
  }

  /** The key as a PEM SubjectPublicKeyInfo with a final newline. */
  public String publicKeyPem() {
    return AgentIds.pem(publicKey);
  }

  /** What reading a public key text gave. */
  public sealed interface Parse {
    /** The text named this key. */
    record Valid(DeviceIdentity identity) implements Parse {}

    /** The text is not an Ed25519 public key; {@code reason} is for logs and people. */
    record Invalid(String reason) implements Parse {}

    /** The identity, or empty when the text was not a key. */
    default Optional<DeviceIdentity> toOptional() {
      return this instanceof Valid v ? Optional.of(v.identity) : Optional.empty();
    }
  }
}
