package dev.handshake.audit.log;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A public key that may sign notes, with its name and 4-byte key ID (c2sp.org/signed-note). Two
 * kinds: {@link Type#ED25519} note signatures (a log's checkpoints) and {@link Type#COSIGNATURE_V1}
 * timestamped witness cosignatures (c2sp.org/tlog-cosignature).
 *
 * <p>The text form is Go's {@code golang.org/x/mod/sumdb/note} verifier key, {@code <name>+<8 hex
 * digits of key ID>+<base64(type byte || 32-byte public key)>}, for example {@code
 * PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}: what operators print, paste
 * into configuration and compare out of band.
 */
public final class VerifierKey {
  /** A signature type and its identifier byte (c2sp.org/signed-note §Signature types). */
  public enum Type {
    /** Plain Ed25519 over the note text. */
    ED25519((byte) 0x01),
    /**
     * Ed25519 over {@code cosignature/v1}, a timestamp line and the text; 8-byte timestamp first.
     */
    COSIGNATURE_V1((byte) 0x04);

    private final byte id;

    Type(byte id) {
      this.id = id;
    }

    public byte id() {
      return id;
    }

    static Optional<Type> of(byte id) {
      return Arrays.stream(values()).filter(t -> t.id == id).findFirst();
    }
  }

  private final String name;
  private final Type type;
  private final Ed25519PublicKey publicKey;
  private final int keyId;

  private VerifierKey(String name, Type type, Ed25519PublicKey publicKey) {
    this.name = KeyNames.require(name);
    this.type = type;
    this.publicKey = publicKey;
    this.keyId = keyId(name, type, publicKey);
  }

  /** A log's (or any note signer's) Ed25519 key. */
  public static VerifierKey ed25519(String name, Ed25519PublicKey publicKey) {
    return new VerifierKey(name, Type.ED25519, publicKey);
  }

  /** A witness's key for timestamped Ed25519 cosignatures. */
  public static VerifierKey cosignatureV1(String name, Ed25519PublicKey publicKey) {
    return new VerifierKey(name, Type.COSIGNATURE_V1, publicKey);
  }

  /**
   * Parses the {@code name+keyid+base64} text form, checking that the key ID is the one the name
   * and key give.
   */
  public static VerifierKey parse(String text) throws LogFormatException {
    int plus1 = text.indexOf('+');
    int plus2 = plus1 < 0 ? -1 : text.indexOf('+', plus1 + 1);
    if (plus2 < 0) {
      throw new LogFormatException("a verifier key is name+keyid+key");
    }
    String name = text.substring(0, plus1);
    String idHex = text.substring(plus1 + 1, plus2);
    if (!KeyNames.isValid(name)) {
      throw new LogFormatException("invalid key name in verifier key");
    }
    if (idHex.length() != 8 || !idHex.chars().allMatch(HexFormat::isHexDigit)) {
      throw new LogFormatException("the key ID of a verifier key is 8 hex digits");
    }
    byte[] material =
        Base64Text.decodeStrict(text.substring(plus2 + 1))
            .orElseThrow(() -> new LogFormatException("verifier key material is not Base64"));
    if (material.length != 1 + Ed25519PublicKey.SIZE) {
      throw new LogFormatException("verifier key material is a type byte and a 32-byte key");
    }
    Type type =
        Type.of(material[0])
            .orElseThrow(() -> new LogFormatException("unsupported signature type " + material[0]));
    Ed25519PublicKey key =
        Ed25519PublicKey.parse(Arrays.copyOfRange(material, 1, material.length))
            .orElseThrow(() -> new LogFormatException("not an Ed25519 public key"));
    VerifierKey parsed = new VerifierKey(name, type, key);
    if (parsed.keyId != HexFormat.fromHexDigits(idHex)) {
      throw new LogFormatException("verifier key ID does not match its name and key");
    }
    return parsed;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** {@code SHA-256(name || 0x0A || type || public key)[:4]}, big-endian. */
  public int keyId() {
    return keyId;
  }

  /** The {@code name+keyid+base64} text form. */
  public String text() {
    byte[] material = new byte[1 + Ed25519PublicKey.SIZE];
    material[0] = type.id;
    System.arraycopy(publicKey.raw(), 0, material, 1, Ed25519PublicKey.SIZE);
    return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64Text.encode(material);
  }

  /**
   * Whether {@code signature} (without the key ID) is this key's signature of {@code text}; for a
   * cosignature, its timestamp when it is. Empty when it does not verify.
   */
  Optional<OptionalLong> verify(byte[] text, byte[] signature) {
    return switch (type) {
      case ED25519 ->
          publicKey.verify(text, signature) ? Optional.of(OptionalLong.empty()) : Optional.empty();
      case COSIGNATURE_V1 -> {
        if (signature.length != 8 + Ed25519PublicKey.SIGNATURE_SIZE) {
          yield Optional.empty();
        }
        long timestamp = ByteBuffer.wrap(signature, 0, 8).getLong();
        byte[] sig = Arrays.copyOfRange(signature, 8, signature.length);
        yield timestamp >= 0 && publicKey.verify(cosignedMessage(timestamp, text), sig)
            ? Optional.of(OptionalLong.of(timestamp))
            : Optional.empty();
      }
    };
  }

  /** {@code "cosignature/v1\ntime <timestamp>\n" || text} (c2sp.org/tlog-cosignature). */
  static byte[] cosignedMessage(long timestamp, byte[] text) {
    byte[] header =
        ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] message = Arrays.copyOf(header, header.length + text.length);
    System.arraycopy(text, 0, message, header.length, text.length);
    return message;
  }

  private static int keyId(String name, Type type, Ed25519PublicKey key) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    digest.update(type.id);
    digest.update(key.raw());
    return ByteBuffer.wrap(digest.digest()).getInt();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierKey other
        && name.equals(other.name)
        && type == other.type
        && publicKey.equals(other.publicKey);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + type.hashCode()) * 31 + publicKey.hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
