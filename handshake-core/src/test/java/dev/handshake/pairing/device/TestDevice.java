package dev.handshake.pairing.device;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A device with its own Ed25519 key that signs connect proofs the way a real client does. */
final class TestDevice {
  private static final SecureRandom RANDOM = new SecureRandom();
  final Ed25519PrivateKey key;
  final DeviceIdentity identity;

  private TestDevice(Ed25519PrivateKey key) {
    this.key = key;
    this.identity = DeviceIdentity.of(key.publicKey());
  }

  static TestDevice create() {
    return new TestDevice(Ed25519PrivateKey.generate(RANDOM));
  }

  String id() {
    return identity.deviceId();
  }

  String publicKey() {
    return identity.publicKeyBase64Url();
  }

  /** A correct {@code pair-v1} proof for {@code role} and {@code scopes}. */
  ConnectProof proof(String nonce, long signedAtMs, String role, String... scopes) {
    String payload = ConnectPayload.pairV1(id(), "test-client", role, List.of(scopes), signedAtMs,
        nonce);
    return ConnectProof.pairV1(id(), publicKey(), ConnectPayload.sign(key, payload), signedAtMs,
        Optional.of(nonce), "test-client", role, List.of(scopes));
  }

  AccessAsk ask(String role, String... scopes) {
    return askFrom("10.0.0.5", role, scopes);
  }

  AccessAsk askFrom(String address, String role, String... scopes) {
    return new AccessAsk(identity, "test-client", role, Set.of(scopes), "Ann's laptop", "macos",
        address);
  }
}
