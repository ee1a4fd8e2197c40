package dev.handshake.pairing.device;

import dev.handshake.pairing.Approver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Device and agent pairing for a transport adapter (pairing.md §2.4, §3.2 rule 7): hand out
 * challenges, then turn each signed connect into {@link ConnectOutcome.Paired}, {@link
 * ConnectOutcome.PairingRequired} or {@link ConnectOutcome.Refused}. It knows no transport; the
 * adapter supplies the peer address and headers and sends the outcome.
 *
 * <p>One connect: the proof is verified ({@link DeviceAuth}); a bootstrap token, if presented, is
 * redeemed (role {@code node} approved) or the connect is refused with {@code
 * bootstrap_token_invalid}; then the ask goes to the {@link DeviceStore}. Approved already → {@code
 * Paired}. Otherwise a request is created, refreshed or superseded → {@code PairingRequired},
 * unless {@link AutoApproval#permits} it, in which case it is approved by {@value
 * AutoApproval#APPROVER} and the device is paired at once.
 *
 * <p>Tokens: a paired connect carries a new token only when the device has no live token for the
 * role (first connect after approval, or after a revoke) or asks to rotate ({@link
 * ConnectContext#rotateToken}). Otherwise the device keeps using the token it holds. This keeps
 * every reconnect from invalidating the token the device's other connections use, while a device
 * that lost its token recovers with its key alone.
 *
 * <pre>{@code
 * DevicePairing pairing = DevicePairing.create(store, InMemoryChallengeStore.create(config, clock,
 *     random), clock);
 * send(pairing.challenge());
 * switch (pairing.connect(proof, ConnectContext.of(peer, headers))) { ... }
 * }</pre>
 */
public final class DevicePairing {
  private final DeviceStore store;
  private final DeviceAuth auth;
  private final DevicePairingConfig config;

  private DevicePairing(DeviceStore store, DeviceAuth auth) {
    this.store = store;
    this.auth = auth;
    this.config = store.config();
  }

  /** Pairing over {@code store}, spending the nonces of {@code challenges}. */
  public static DevicePairing create(DeviceStore store, ChallengeStore challenges, Clock clock) {
    return new DevicePairing(store, DeviceAuth.create(challenges, store.config(), clock));
  }

  public DeviceStore store() {
    return store;
  }

  /** A challenge to send before the device connects. */
  public ChallengeStore.Issue challenge() {
    return auth.challenges().issue();
  }

  /** {@link #connect(ConnectProof, ConnectContext)} without bootstrap token or rotation. */
  public ConnectOutcome connect(ConnectProof proof, String remoteAddress,
      Map<String, List<String>> headers) {
    return connect(proof, ConnectContext.of(remoteAddress, headers));
  }

  /** Verifies {@code proof} and pairs, asks for approval, or refuses; see the class comment. */
  public ConnectOutcome connect(ConnectProof proof, ConnectContext context) {
    DeviceAuthResult.Verified verified;
    switch (auth.verifyConnect(proof)) {
      case DeviceAuthResult.Refused r -> {
        return new ConnectOutcome.Refused(r.error());
      }
      case DeviceAuthResult.Verified v -> verified = v;
    }
    String platform = context.platform().isEmpty() ? proof.platform() : context.platform();
    AccessAsk ask = AccessAsk.of(verified, context.displayName(), platform,
        context.remoteAddress());
    if (context.bootstrapToken().isPresent()
        && store.redeemBootstrap(context.bootstrapToken().get(), ask)
            instanceof BootstrapRedemption.Invalid) {
      return new ConnectOutcome.Refused(PairingRefusal.BOOTSTRAP_TOKEN_INVALID);
    }
    return admit(ask, context, true);
  }

  private ConnectOutcome admit(AccessAsk ask, ConnectContext context, boolean retry) {
    return switch (store.requestAccess(ask)) {
      case AccessOutcome.Covered c -> paired(ask, context, retry);
      case AccessOutcome.Refused r -> new ConnectOutcome.Refused(r.reason());
      case AccessOutcome.Requested q -> {
        DeviceRequest request = q.request();
        if (AutoApproval.permits(config, request, context.remoteAddress(), context.headers())
            && store.approve(request.requestId(), Approver.named(AutoApproval.APPROVER))
                instanceof DeviceResolution.Approved) {
          yield paired(ask, context, retry);
        }
        yield new ConnectOutcome.PairingRequired(
            request.requestId(), request.isUpgrade(), request.expiresAt());
      }
    };
  }

  private ConnectOutcome paired(AccessAsk ask, ConnectContext context, boolean retry) {
    String actor = TransactionalDeviceStore.deviceActor(ask.deviceId());
    TokenIssue issue = context.rotateToken()
        ? store.rotate(ask.deviceId(), ask.role(), actor)
        : store.issueTokenIfNone(ask.deviceId(), ask.role(), actor);
    return switch (issue) {
      case TokenIssue.Issued i ->
          new ConnectOutcome.Paired(ask.deviceId(), ask.role(), ask.scopes(),
              Optional.of(i.secret()));
      case TokenIssue.Kept k ->
          new ConnectOutcome.Paired(ask.deviceId(), ask.role(), ask.scopes(),
              Optional.empty());
      // the device was removed between the two calls: ask again, once
      case TokenIssue.Refused r -> retry
          ? admit(ask, context, false)
          : new ConnectOutcome.Refused(PairingRefusal.CONFLICT);
    };
  }
}
