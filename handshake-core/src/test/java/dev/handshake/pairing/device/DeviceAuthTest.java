package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceAuthTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final TestDevice device = TestDevice.create();
  private DevicePairingConfig config = DevicePairingConfig.defaults();
  private InMemoryChallengeStore challenges =
      InMemoryChallengeStore.create(config, clock, new SecureRandom());
  private DeviceAuth auth = DeviceAuth.create(challenges, config, clock);

  private void openclawCompat() {
    config = config.openclawDeviceAuth(true);
    challenges = InMemoryChallengeStore.create(config, clock, new SecureRandom());
    auth = DeviceAuth.create(challenges, config, clock);
  }

  private String nonce() {
    return ((ChallengeStore.Issue.Issued) challenges.issue()).challenge().nonce();
  }

  private DeviceAuthError refusal(ConnectProof proof) {
    DeviceAuthResult result = auth.verifyConnect(proof);
    assertThat(result).as("proof is refused").isInstanceOf(DeviceAuthResult.Refused.class);
    return ((DeviceAuthResult.Refused) result).error();
  }

  private DeviceAuthResult.Verified verified(ConnectProof proof) {
    DeviceAuthResult result = auth.verifyConnect(proof);
    assertThat(result).as("proof verifies").isInstanceOf(DeviceAuthResult.Verified.class);
    return (DeviceAuthResult.Verified) result;
  }

  private static ConnectProof withNonce(ConnectProof p, Optional<String> nonce) {
    return new ConnectProof(p.deviceId(), p.publicKey(), p.signature(), p.signedAtMs(), nonce,
        p.clientId(), p.role(), p.scopes(), p.clientMode(), p.token(), p.platform(),
        p.deviceFamily());
  }

  @Test
  void aCorrectPairV1ProofVerifiesTheDeviceAndWhatItAsks() {
    DeviceAuthResult.Verified v =
        verified(device.proof(nonce(), clock.millis(), "operator", "operator.write", "operator.read"));

    assertThat(v.deviceId()).isEqualTo(device.id());
    assertThat(v.publicKey()).isEqualTo(device.identity.publicKey());
    assertThat(v.clientId()).isEqualTo("test-client");
    assertThat(v.role()).isEqualTo("operator");
    assertThat(v.scopes()).containsExactly("operator.read", "operator.write");
    assertThat(v.version()).isEqualTo(ConnectPayload.Version.PAIR_V1);
  }

  @Test
  void pairV1SignsScopesSortedWhateverOrderTheDeviceListsThem() {
    String n = nonce();
    long at = clock.millis();
    String unsorted = "pair-v1|" + device.id() + "|test-client|operator|b.scope,a.scope|" + at
        + "|" + n;
    ConnectProof signedUnsorted = ConnectProof.pairV1(device.id(), device.publicKey(),
        ConnectPayload.sign(device.key, unsorted), at, Optional.of(n), "test-client", "operator",
        List.of("b.scope", "a.scope"));

    assertThat(ConnectPayload.pairV1(device.id(), "c", "r", List.of("b", "a", "b"), 5, "n"))
        .isEqualTo("pair-v1|" + device.id() + "|c|r|a,b|5|n");
    assertThat(refusal(signedUnsorted)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
    verified(device.proof(nonce(), at, "operator", "b.scope", "a.scope"));
  }

  @Test
  void aPemPublicKeyIsAcceptedToo() {
    ConnectProof p = device.proof(nonce(), clock.millis(), "node");
    ConnectProof pem = new ConnectProof(p.deviceId(), device.identity.publicKeyPem(),
        p.signature(), p.signedAtMs(), p.nonce(), p.clientId(), p.role(), p.scopes(), "",
        Optional.empty(), "", "");

    assertThat(verified(pem).deviceId()).isEqualTo(device.id());
  }

  @Test
  @DisplayName("§4 item 12: connect without a nonce → DEVICE_AUTH_NONCE_REQUIRED")
  void item12_connectWithoutNonceIsNonceRequired() {
    ConnectProof p = device.proof(nonce(), clock.millis(), "node");

    assertThat(refusal(withNonce(p, Optional.empty()))).isEqualTo(DeviceAuthError.NONCE_REQUIRED);
    assertThat(refusal(withNonce(p, Optional.of(" ")))).isEqualTo(DeviceAuthError.NONCE_REQUIRED);
    assertThat(DeviceAuthError.NONCE_REQUIRED.code()).isEqualTo("DEVICE_AUTH_NONCE_REQUIRED");
  }

  @Test
  @DisplayName("§4 item 12: a nonce the server never issued → DEVICE_AUTH_NONCE_MISMATCH")
  void item12_unknownNonceIsNonceMismatch() {
    nonce();

    assertThat(refusal(device.proof("made-up-nonce", clock.millis(), "node")))
        .isEqualTo(DeviceAuthError.NONCE_MISMATCH);
  }

  @Test
  @DisplayName("§4 item 12: an expired nonce → DEVICE_AUTH_NONCE_MISMATCH")
  void item12_expiredNonceIsNonceMismatch() {
    String n = nonce();
    clock.advance(Duration.ofMinutes(2));

    assertThat(refusal(device.proof(n, clock.millis(), "node")))
        .isEqualTo(DeviceAuthError.NONCE_MISMATCH);
  }

  @Test
  @DisplayName("§4 item 12: a nonce cannot be used twice")
  void item12_nonceCannotBeUsedTwice() {
    ConnectProof proof = device.proof(nonce(), clock.millis(), "node");
    verified(proof);

    assertThat(refusal(proof)).isEqualTo(DeviceAuthError.NONCE_MISMATCH);
  }

  @Test
  @DisplayName("§4 item 12: a nonce presented with a failing proof is spent all the same")
  void item12_nonceIsSpentEvenWhenTheProofFails() {
    String n = nonce();
    ConnectProof good = device.proof(n, clock.millis(), "node");
    ConnectProof badSignature = new ConnectProof(good.deviceId(), good.publicKey(),
        ConnectPayload.sign(TestDevice.create().key, "x"), good.signedAtMs(), good.nonce(),
        good.clientId(), good.role(), good.scopes(), "", Optional.empty(), "", "");

    assertThat(refusal(badSignature)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
    assertThat(refusal(good)).isEqualTo(DeviceAuthError.NONCE_MISMATCH);
  }

  @Test
  @DisplayName("§4 item 12: a signature by another key → DEVICE_AUTH_SIGNATURE_INVALID")
  void item12_signatureByAnotherKeyIsSignatureInvalid() {
    String n = nonce();
    long at = clock.millis();
    Ed25519PrivateKey thief = TestDevice.create().key;
    String payload = ConnectPayload.pairV1(device.id(), "test-client", "node", List.of(), at, n);
    ConnectProof forged = ConnectProof.pairV1(device.id(), device.publicKey(),
        ConnectPayload.sign(thief, payload), at, Optional.of(n), "test-client", "node", List.of());

    assertThat(refusal(forged)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
  }

  @Test
  @DisplayName("§4 item 12: changing the role after signing → DEVICE_AUTH_SIGNATURE_INVALID")
  void item12_roleChangedAfterSigningIsSignatureInvalid() {
    ConnectProof p = device.proof(nonce(), clock.millis(), "node");
    ConnectProof escalated = ConnectProof.pairV1(p.deviceId(), p.publicKey(), p.signature(),
        p.signedAtMs(), p.nonce(), p.clientId(), "operator", List.of("operator.admin"));

    assertThat(refusal(escalated)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
  }

  @Test
  @DisplayName("§4 item 12: a signature that is not 64 bytes of base64url → SIGNATURE_INVALID")
  void item12_malformedSignatureIsSignatureInvalid() {
    ConnectProof p = device.proof(nonce(), clock.millis(), "node");
    ConnectProof garbled = ConnectProof.pairV1(p.deviceId(), p.publicKey(), "!!not base64!!",
        p.signedAtMs(), p.nonce(), p.clientId(), p.role(), p.scopes());

    assertThat(refusal(garbled)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
  }

  @Test
  @DisplayName("§4 item 12: signedAtMs more than 2 minutes off → DEVICE_AUTH_SIGNATURE_EXPIRED")
  void item12_signedAtBeyondTheSkewIsSignatureExpired() {
    long skew = Duration.ofMinutes(2).toMillis();
    long now = clock.millis();

    assertThat(refusal(device.proof(nonce(), now - skew - 1, "node")))
        .isEqualTo(DeviceAuthError.SIGNATURE_EXPIRED);
    assertThat(refusal(device.proof(nonce(), now + skew + 1, "node")))
        .as("from the future").isEqualTo(DeviceAuthError.SIGNATURE_EXPIRED);
    assertThat(refusal(device.proof(nonce(), Long.MIN_VALUE, "node")))
        .isEqualTo(DeviceAuthError.SIGNATURE_EXPIRED);
    verified(device.proof(nonce(), now - skew, "node"));
    verified(device.proof(nonce(), now + skew, "node"));
  }

  @Test
  @DisplayName("§4 item 12: deviceId ≠ hex(SHA-256(key)) → DEVICE_AUTH_DEVICE_ID_MISMATCH")
  void item12_deviceIdThatIsNotTheKeysHashIsDeviceIdMismatch() {
    String n = nonce();
    long at = clock.millis();
    String otherId = TestDevice.create().id();
    String payload = ConnectPayload.pairV1(otherId, "test-client", "node", List.of(), at, n);
    ConnectProof claimed = ConnectProof.pairV1(otherId, device.publicKey(),
        ConnectPayload.sign(device.key, payload), at, Optional.of(n), "test-client", "node",
        List.of());
    ConnectProof upper = device.proof(nonce(), at, "node");
    upper = ConnectProof.pairV1(device.id().toUpperCase(java.util.Locale.ROOT), upper.publicKey(),
        upper.signature(), at, upper.nonce(), upper.clientId(), upper.role(), upper.scopes());

    assertThat(refusal(claimed)).isEqualTo(DeviceAuthError.DEVICE_ID_MISMATCH);
    assertThat(refusal(upper)).isEqualTo(DeviceAuthError.DEVICE_ID_MISMATCH);
  }

  @Test
  @DisplayName("§4 item 12: a public key that is not Ed25519 → DEVICE_AUTH_PUBLIC_KEY_INVALID")
  void item12_invalidPublicKeyIsPublicKeyInvalid() {
    ConnectProof p = device.proof(nonce(), clock.millis(), "node");
    ConnectProof broken = ConnectProof.pairV1(p.deviceId(), p.publicKey().substring(3),
        p.signature(), p.signedAtMs(), p.nonce(), p.clientId(), p.role(), p.scopes());

    assertThat(refusal(broken)).isEqualTo(DeviceAuthError.PUBLIC_KEY_INVALID);
  }

  @Test
  @DisplayName("§4 item 12: each failure has its own OpenClaw wire name")
  void item12_eachFailureHasItsOwnOpenClawWireName() {
    Set<String> codes = Arrays.stream(DeviceAuthError.values())
        .map(DeviceAuthError::code).collect(Collectors.toSet());

    assertThat(codes).containsExactlyInAnyOrder("DEVICE_AUTH_NONCE_REQUIRED",
        "DEVICE_AUTH_NONCE_MISMATCH", "DEVICE_AUTH_SIGNATURE_INVALID",
        "DEVICE_AUTH_SIGNATURE_EXPIRED", "DEVICE_AUTH_DEVICE_ID_MISMATCH",
        "DEVICE_AUTH_PUBLIC_KEY_INVALID");
  }

  @Test
  void fieldsThatWouldMakeThePayloadAmbiguousAreRefused() {
    String n = nonce();
    long at = clock.millis();
    String payload = "pair-v1|" + device.id() + "|a|b|node||" + at + "|" + n;
    ConnectProof pipe = ConnectProof.pairV1(device.id(), device.publicKey(),
        ConnectPayload.sign(device.key, payload), at, Optional.of(n), "a|b", "node", List.of());

    assertThat(refusal(pipe)).isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
    assertThat(refusal(device.proof(nonce(), at, "node", "a,b")))
        .isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
  }

  @Test
  void garbageInEveryFieldIsRefusedNeverThrown() {
    String huge = "x".repeat(100_000);
    ConnectProof garbage = new ConnectProof(huge, huge, huge, Long.MAX_VALUE, Optional.of(huge),
        huge, huge, List.of(huge, ""), huge, Optional.of(huge), huge, huge);
    ConnectProof empty = new ConnectProof("", "", "", 0, Optional.of(""), "", "", List.of(), "",
        Optional.empty(), "", "");

    assertThat(auth.verifyConnect(garbage)).isInstanceOf(DeviceAuthResult.Refused.class);
    assertThat(auth.verifyConnect(empty)).isInstanceOf(DeviceAuthResult.Refused.class);
  }

  private ConnectProof openclawProof(ConnectPayload.Version version, String platform) {
    String n = nonce();
    long at = clock.millis();
    List<String> scopes = List.of("operator.write", "operator.read");
    Optional<String> token = Optional.of("gw-token");
    String payload = version == ConnectPayload.Version.OPENCLAW_V3
        ? ConnectPayload.openclawV3(device.id(), "openclaw-control-ui", "webchat", "operator",
            scopes, at, token, n, platform, "")
        : ConnectPayload.openclawV2(device.id(), "openclaw-control-ui", "webchat", "operator",
            scopes, at, token, n);
    return new ConnectProof(device.id(), device.publicKey(), ConnectPayload.sign(device.key,
        payload), at, Optional.of(n), "openclaw-control-ui", "operator", scopes, "webchat",
        token, version == ConnectPayload.Version.OPENCLAW_V3 ? platform : "", "");
  }

  @Test
  void openClawPayloadsAreRefusedUnlessTheCompatSwitchIsOn() {
    assertThat(config.openclawDeviceAuth()).isFalse();

    assertThat(refusal(openclawProof(ConnectPayload.Version.OPENCLAW_V3, "macos")))
        .isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
    assertThat(refusal(openclawProof(ConnectPayload.Version.OPENCLAW_V2, "")))
        .isEqualTo(DeviceAuthError.SIGNATURE_INVALID);
  }

  @Test
  void withTheCompatSwitchOpenClawV2AndV3PayloadsVerifyVerbatim() {
    openclawCompat();

    assertThat(verified(openclawProof(ConnectPayload.Version.OPENCLAW_V3, "macos")).version())
        .isEqualTo(ConnectPayload.Version.OPENCLAW_V3);
    assertThat(verified(openclawProof(ConnectPayload.Version.OPENCLAW_V2, "")).version())
        .isEqualTo(ConnectPayload.Version.OPENCLAW_V2);
    assertThat(verified(device.proof(nonce(), clock.millis(), "node")).version())
        .isEqualTo(ConnectPayload.Version.PAIR_V1);
  }

  @Test
  void openClawV3SignsPlatformTrimmedAndLowerCasedAndScopesInTheirOrder() {
    assertThat(ConnectPayload.openclawV3("d", "c", "m", "r", List.of("b", "a"), 7,
        Optional.empty(), "n", " MacOS ", "iPhone"))
        .isEqualTo("v3|d|c|m|r|b,a|7||n|macos|iphone");
    openclawCompat();

    assertThat(verified(openclawProof(ConnectPayload.Version.OPENCLAW_V3, " MacOS ")).version())
        .isEqualTo(ConnectPayload.Version.OPENCLAW_V3);
  }

  @Test
  void theProofsToStringNeverShowsTheToken() {
    assertThat(openclawProof(ConnectPayload.Version.OPENCLAW_V2, "").toString())
        .doesNotContain("gw-token");
  }
}
