package dev.handshake.pairing.device;

import dev.handshake.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Checks a device's signed connect proof (pairing.md §2.4, §3.2 rule 7, §4 item 12). Every input
 * gives a {@link DeviceAuthResult}; nothing is thrown.
 *
 * <p>Checks, in order, each with its own error: a nonce is present ({@code NONCE_REQUIRED}); the
 * nonce is spent — unknown, used or expired gives {@code NONCE_MISMATCH}; the public key parses
 * ({@code PUBLIC_KEY_INVALID}); {@code deviceId} is its hash ({@code DEVICE_ID_MISMATCH}); {@code
 * signedAtMs} is within the skew of the server's clock ({@code SIGNATURE_EXPIRED}); the signature
 * verifies over the payload ({@code SIGNATURE_INVALID}).
 *
 * <p>The nonce is spent as soon as a proof presents it, before any other check, and stays spent
 * whatever the outcome. A device whose proof fails asks for a new challenge; nobody can retry a
 * nonce with a different signature, key or time, so replay is impossible by construction rather
 * than by getting every later check right. (Nonces are sent only to the connection that asked,
 * so burning one only hurts that connection.)
 *
 * <p>Fields that could not form an unambiguous payload — a {@code |} in any field, a role, scope
 * or client id outside {@code [A-Za-z0-9._:-]{1,128}}, more than 256 scopes — are refused as
 * {@code SIGNATURE_INVALID}: no signature over them can be trusted.
 *
 * <pre>{@code
 * DeviceAuth auth = DeviceAuth.create(challenges, config, clock);
 * if (auth.verifyConnect(proof) instanceof DeviceAuthResult.Verified v) { ... }
 * }</pre>
 */
public final class DeviceAuth {
  /** Scopes a payload may list at all; the store's own, smaller limit applies afterwards. */
  static final int MAX_PAYLOAD_SCOPES = 256;
  private static final int MAX_NONCE = 256;
  private static final int MAX_SIGNATURE_TEXT = 128;
  private static final int MAX_TOKEN = 1024;

  private final ChallengeStore challenges;
  private final Clock clock;
  private final long skewMillis;
  private final List<ConnectPayload.Version> accepted;

  private DeviceAuth(ChallengeStore challenges, DevicePairingConfig config, Clock clock) {
    this.challenges = challenges;
    this.clock = clock;
    this.skewMillis = config.signatureSkew().toMillis();
    this.accepted = config.openclawDeviceAuth()
        ? List.of(ConnectPayload.Version.PAIR_V1, ConnectPayload.Version.OPENCLAW_V3,
            ConnectPayload.Version.OPENCLAW_V2)
        : List.of(ConnectPayload.Version.PAIR_V1);
  }

  /**
   * A verifier spending nonces of {@code challenges}, with the skew and the OpenClaw switch of
   * {@code config}.
   */
  public static DeviceAuth create(ChallengeStore challenges, DevicePairingConfig config,
      Clock clock) {
    return new DeviceAuth(challenges, config, clock);
  }

  /** The challenges this verifier spends, for the adapter that sends them. */
  public ChallengeStore challenges() {
    return challenges;
  }

  /** Checks {@code proof}; see the class comment for the order of checks. */
  public DeviceAuthResult verifyConnect(ConnectProof proof) {
    Optional<String> nonce = proof.nonce().filter(n -> !n.isBlank());
    if (nonce.isEmpty()) {
      return refused(DeviceAuthError.NONCE_REQUIRED);
    }
    if (nonce.get().length() > MAX_NONCE || !challenges.consume(nonce.get())) {
      return refused(DeviceAuthError.NONCE_MISMATCH);
    }
    Optional<DeviceIdentity> identity = DeviceIdentity.parse(proof.publicKey()).toOptional();
    if (identity.isEmpty()) {
      return refused(DeviceAuthError.PUBLIC_KEY_INVALID);
    }
    if (!identity.get().hasId(proof.deviceId())) {
      return refused(DeviceAuthError.DEVICE_ID_MISMATCH);
    }
    long now = clock.millis();
    if (proof.signedAtMs() < now - skewMillis || proof.signedAtMs() > now + skewMillis) {
      return refused(DeviceAuthError.SIGNATURE_EXPIRED);
    }
    Optional<byte[]> signature = Base64Url.decode(proof.signature(), MAX_SIGNATURE_TEXT)
        .filter(s -> s.length == Ed25519PublicKey.SIGNATURE_SIZE);
    if (signature.isEmpty() || !wellFormed(proof)) {
      return refused(DeviceAuthError.SIGNATURE_INVALID);
    }
    Ed25519PublicKey key = identity.get().publicKey();
    for (ConnectPayload.Version version : accepted) {
      byte[] payload = ConnectPayload.of(version, proof, nonce.get())
          .getBytes(StandardCharsets.UTF_8);
      if (key.verify(payload, signature.get())) {
        return new DeviceAuthResult.Verified(proof.deviceId(), key, proof.clientId(),
            proof.role(), Names.sorted(proof.scopes()), version);
      }
    }
    return refused(DeviceAuthError.SIGNATURE_INVALID);
  }

  private static boolean wellFormed(ConnectProof p) {
    return Names.isName(p.clientId())
        && Names.isName(p.role())
        && p.scopes().size() <= MAX_PAYLOAD_SCOPES
        && Names.allNames(p.scopes())
        && Names.isText(p.clientMode(), Names.MAX_NAME)
        && Names.isText(p.platform(), Names.MAX_NAME)
        && Names.isText(p.deviceFamily(), Names.MAX_NAME)
        && p.token().map(t -> Names.isText(t, MAX_TOKEN)).orElse(true);
  }

  private static DeviceAuthResult refused(DeviceAuthError error) {
    return new DeviceAuthResult.Refused(error);
  }
}
