package dev.handshake.pairing.device;

import java.util.List;
import java.util.Optional;

/**
 * What a device sends to connect: its claimed id and public key, what it asks for, and its
 * signature over the {@link ConnectPayload} those fields make (pairing.md §2.4). Fields come from
 * the wire unchecked; {@link DeviceAuth#verifyConnect} checks every one and never throws.
 *
 * @param deviceId the id the device claims: lowercase hex SHA-256 of its raw public key
 * @param publicKey base64url of the raw 32 key bytes, or a PEM SubjectPublicKeyInfo
 * @param signature unpadded base64url of the 64-byte Ed25519 signature
 * @param nonce the nonce of the challenge the device was sent; empty when it sent none
 * @param scopes in the order the device sent them (OpenClaw signs that order; {@code pair-v1}
 *     signs them sorted)
 * @param clientMode OpenClaw only ({@code "webchat"}, {@code "backend"}…); empty otherwise
 * @param token OpenClaw only: the auth token the device signed with the payload, if any. It is
 *     covered by the signature but not checked here; {@link #toString()} redacts it
 * @param platform OpenClaw v3 only; empty otherwise
 * @param deviceFamily OpenClaw v3 only; empty otherwise
 */
public record ConnectProof(
    String deviceId,
    String publicKey,
    String signature,
    long signedAtMs,
    Optional<String> nonce,
    String clientId,
    String role,
    List<String> scopes,
    String clientMode,
    Optional<String> token,
    String platform,
    String deviceFamily) {

  public ConnectProof {
    scopes = List.copyOf(scopes);
  }

  /** A proof over our {@code pair-v1} payload. */
  public static ConnectProof pairV1(String deviceId, String publicKey, String signature,
      long signedAtMs, Optional<String> nonce, String clientId, String role, List<String> scopes) {
    return new ConnectProof(deviceId, publicKey, signature, signedAtMs, nonce, clientId, role,
        scopes, "", Optional.empty(), "", "");
  }

  @Override
  public String toString() {
    return "ConnectProof[deviceId=" + deviceId + ", clientId=" + clientId + ", role=" + role
        + ", scopes=" + scopes + ", signedAtMs=" + signedAtMs + ", nonce=" + nonce
        + ", clientMode=" + clientMode + ", token=" + token.map(t -> "<redacted>").orElse("none")
        + ", platform=" + platform + ", deviceFamily=" + deviceFamily + "]";
  }
}
