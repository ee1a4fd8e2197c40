package dev.handshake.delegation;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * Signs and verifies TrustHandoff packets: Ed25519 over {@link SignedTaskPacket#signingPayload()},
 * standard padded Base64 in {@code signature}, the key taken from the packet's own {@code
 * public_key} (who may use that key is decided afterwards, by the identity policy).
 */
public final class PacketSignatures {
  /** How the signature text is decoded. */
  public enum Decoding {
    /** Ours: the Base64 alphabet only, padding required, exactly 64 bytes. */
    STRICT,
    /**
     * The reference: characters outside the alphabet are discarded first (vector N07), so one
     * signature has many accepted spellings.
     */
    LENIENT
  }

  private PacketSignatures() {}

  /** The packet signed with {@code key}, whose PEM must already be the packet's public_key. */
  public static SignedTaskPacket sign(SignedTaskPacket unsigned, Ed25519PrivateKey key) {
    if (!unsigned.publicKey().equals(PublicKeyPem.of(key.publicKey()))) {
      throw new IllegalArgumentException("public_key is not the signing key's PEM");
    }
    byte[] signature = key.sign(unsigned.withSignature("").signingPayload());
    return unsigned.withSignature(Base64Text.encode(signature));
  }

  /**
   * Whether the packet's signature verifies under its own public_key. False — never an exception
   * — for a key that is not Ed25519 PEM, a signature that does not decode to 64 bytes, an empty
   * signature, or {@code signature_algo} other than {@code Ed25519} when {@code checkAlgorithm}.
   */
  public static boolean verify(SignedTaskPacket packet, Decoding decoding, boolean checkAlgorithm) {
    if (checkAlgorithm && !SignedTaskPacket.ED25519.equals(packet.signatureAlgo())) {
      return false;
    }
    Optional<Ed25519PublicKey> key = PublicKeyPem.parse(packet.publicKey());
    if (key.isEmpty()) {
      return false;
    }
    Optional<byte[]> sig =
        decoding == Decoding.STRICT
            ? Base64Text.decodeStrict(packet.signature())
            : Base64Text.decodeLenient(packet.signature());
    return sig.isPresent() && key.get().verify(packet.signingPayload(), sig.get());
  }
}
