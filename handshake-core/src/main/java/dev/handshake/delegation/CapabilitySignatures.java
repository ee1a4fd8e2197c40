package dev.handshake.delegation;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * Signs and verifies capabilities: Ed25519 over {@link DelegationCapability#signingPayload()},
 * standard padded Base64 in {@code signature}, verified with the capability's own {@code
 * public_key}. Whether that key may speak for {@code issuer_agent} is the chain verifier's question
 * ({@link IssuerKeys}), not this class's.
 */
public final class CapabilitySignatures {
  private CapabilitySignatures() {}

  /**
   * The capability signed with {@code key}, whose PEM must already be its public_key.
   *
   * @throws IllegalArgumentException when public_key is not {@code key}'s PEM: such a capability
   *     could never verify (the reference's derive helper makes exactly this mistake)
   */
  public static DelegationCapability sign(DelegationCapability unsigned, Ed25519PrivateKey key) {
    if (!unsigned.publicKey().equals(PublicKeyPem.of(key.publicKey()))) {
      throw new IllegalArgumentException("public_key is not the signing key's PEM");
    }
    return unsigned.withSignature(Base64Text.encode(key.sign(unsigned.signingPayload())));
  }

  /**
   * Whether the capability's signature verifies under its own public_key. False — never an
   * exception — for a key that is not Ed25519 PEM, a signature that does not decode to 64 bytes,
   * or, when {@code checkAlgorithm}, a {@code signature_algo} other than {@code Ed25519} (the
   * reference never reads that field).
   */
  public static boolean verify(
      DelegationCapability capability, PacketSignatures.Decoding decoding, boolean checkAlgorithm) {
    if (checkAlgorithm && !SignedTaskPacket.ED25519.equals(capability.signatureAlgo())) {
      return false;
    }
    Optional<Ed25519PublicKey> key = PublicKeyPem.parse(capability.publicKey());
    if (key.isEmpty()) {
      return false;
    }
    Optional<byte[]> signature =
        decoding == PacketSignatures.Decoding.STRICT
            ? Base64Text.decodeStrict(capability.signature())
            : Base64Text.decodeLenient(capability.signature());
    return signature.isPresent() && key.get().verify(capability.signingPayload(), signature.get());
  }
}
