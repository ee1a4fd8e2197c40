package dev.handshake.audit;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * How an AISS signature string is encoded. Chain events are Base64 in the reference core, while
 * everything its A2A functions produce is Base58 (aiss.md §2.5), with no tag saying which; the
 * text alone decides, deterministically: 88 characters ending in {@code ==} that strictly decode
 * to 64 bytes are Base64, anything else must be Base58 of 64 bytes.
 */
public enum SignatureEncoding {
  BASE64("base64"),
  BASE58("base58");

  private final String label;

  SignatureEncoding(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public String encode(byte[] signature) {
    return this == BASE64 ? Base64Text.encode(signature) : Base58.encode(signature);
  }

  /** A signature's bytes and the encoding they were read from. */
  public record Decoded(SignatureEncoding encoding, byte[] bytes) {}

  /**
   * Applies the detection rule. {@code lenientBase64} reproduces the reference's decoder, which
   * discards characters outside the Base64 alphabet first (switch {@code
   * aiss.verify.lenientBase64}).
   */
  public static Optional<Decoded> detect(String text, boolean lenientBase64) {
    if (text.endsWith("==")) {
      Optional<byte[]> b64 =
          lenientBase64
              ? Base64Text.decodeLenient(text)
              : (text.length() == 88 ? Base64Text.decodeStrict(text) : Optional.empty());
      if (b64.isPresent() && b64.get().length == Ed25519PublicKey.SIGNATURE_SIZE) {
        return Optional.of(new Decoded(BASE64, b64.get()));
      }
    }
    return Base58.decode(text)
        .filter(b -> b.length == Ed25519PublicKey.SIGNATURE_SIZE)
        .map(b -> new Decoded(BASE58, b));
  }

  /** Decodes as exactly this encoding (strict), for the reference's single-encoding checks. */
  public Optional<byte[]> decodeOnly(String text) {
    Optional<byte[]> bytes = this == BASE64 ? Base64Text.decodeStrict(text) : Base58.decode(text);
    return bytes.filter(b -> b.length == Ed25519PublicKey.SIGNATURE_SIZE);
  }
}
