package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.Pepper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every device pairing rule (pairing.md §2.4, §3.2 rule 7), written once over {@link
 * DeviceTables}: one transaction per call, expiry applied to what a call touches, an event in the
 * same transaction as each change.
 */
final class TransactionalDeviceStore implements DeviceStore {
  /** Random bytes in a device token and a bootstrap token (OpenClaw's PAIRING_TOKEN_BYTES). */
  static final int TOKEN_BYTES = 32;
  /** The role a redeemed bootstrap token approves. */
  static final String BOOTSTRAP_ROLE = "node";
  private static final int MAX_PRESENTED = 1024;
  private static final int EXPIRE_BATCH = 100;
  /** A successful check records its time at most this often, so checks are not all writes. */
  private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  private final DeviceTables tables;
  private final DevicePairingConfig config;
  private final Pepper tokenPepper;
  private final Pepper bootstrapPepper;
  private final Clock clock;
  private final SecureRandom random;

  TransactionalDeviceStore(DeviceTables tables, DevicePairingConfig config, Pepper pepper,
      Clock clock, SecureRandom random) {
    this.tables = tables;
    this.config = config;
    this.tokenPepper = pepper.derive("device-token");
    this.bootstrapPepper = pepper.derive("device-bootstrap");
    this.clock = clock;
    this.random = random;
  }

  @Override
  public DevicePairingConfig config() {
    return config;
  }

  @Override
  public AccessOutcome requestAccess(AccessAsk ask) {
    if (ask.scopes().size() > config.maxScopes()) {
      return new AccessOutcome.Refused(PairingRefusal.TOO_MANY_SCOPES);
    }
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      expireDue(tx, now);
      Optional<PairedDevice> paired = tx.device(ask.deviceId());
      if (paired.isPresent() && paired.get().covers(ask.role(), ask.scopes())) {
        return new AccessOutcome.Covered(paired.get());
      }
      Optional<DeviceRequest> live = tx.pendingByDevice(ask.deviceId());
      if (live.isPresent() && live.get().sameAsk(ask)) {
        DeviceRequest seen = live.get().seen(now, now.plus(config.requestTtl()));
        tx.update(seen);
        return new AccessOutcome.Requested(seen, AccessOutcome.Kind.REFRESHED, Optional.empty());
      }
      if (full(tx, ask, live)) {
        return new AccessOutcome.Refused(PairingRefusal.PENDING_FULL);
      }
      String requestId = UUID.randomUUID().toString();
      String actor = deviceActor(ask.deviceId());
      if (live.isPresent()) {
        DeviceRequest old = live.get()
            .resolve(DeviceRequestState.SUPERSEDED, actor, now, Optional.of(requestId));
        tx.update(old);
        event(tx, DeviceEvent.Type.SUPERSEDED, old.requestId(), old.deviceId(), actor, now);
      }
      DeviceRequest created = new DeviceRequest(requestId, ask.deviceId(),
          ask.identity().publicKeyBase64Url(), ask.displayName(), ask.platform(), ask.clientId(),
          ask.role(), ask.scopes(), ask.remoteAddress(), now, now, now.plus(config.requestTtl()),
          DeviceRequestState.PENDING, paired.isPresent(), Optional.empty(), Optional.empty(),
          Optional.empty());
      tx.insert(created);
      event(tx, DeviceEvent.Type.REQUESTED, requestId, ask.deviceId(), actor, now);
      return new AccessOutcome.Requested(created,
          live.isPresent() ? AccessOutcome.Kind.SUPERSEDED : AccessOutcome.Kind.CREATED,
          live.map(DeviceRequest::requestId));
    });
  }

  /** Whether a new request would pass a cap; the request it would supersede does not count. */
  private boolean full(DeviceTables.Tx tx, AccessAsk ask, Optional<DeviceRequest> replacing) {
    int pending = tx.countPending() - (replacing.isPresent() ? 1 : 0);
    if (pending >= config.pendingGlobal()) {
      return true;
    }
    String address = ask.remoteAddress();
    if (address.isEmpty()) {
      return false;
    }
    int fromAddress = tx.countPendingFrom(address)
        - (replacing.filter(r -> r.remoteAddress().equals(address)).isPresent() ? 1 : 0);
    return fromAddress >= config.pendingPerAddress();
  }

  @Override
  public DeviceResolution approve(String requestId, Approver approver) {
    return resolve(requestId, approver, true);
  }

  @Override
  public DeviceResolution reject(String requestId, Approver approver) {
    return resolve(requestId, approver, false);
  }

  private DeviceResolution resolve(String requestId, Approver approver, boolean approve) {
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      expireDue(tx, now);
      Optional<DeviceRequest> found = tx.request(requestId);
      if (found.isEmpty()) {
        return new DeviceResolution.Failed(DeviceResolution.Failure.NOT_FOUND, Optional.empty());
      }
      DeviceRequest r = found.get();
      if (r.state().live() && r.expiredAt(now)) {
        r = expire(tx, r, now);
      }
      Optional<DeviceResolution.Failure> notLive = switch (r.state()) {
        case PENDING -> Optional.empty();
        case APPROVED -> Optional.of(DeviceResolution.Failure.ALREADY_APPROVED);
        case REJECTED -> Optional.of(DeviceResolution.Failure.REJECTED);
        case EXPIRED -> Optional.of(DeviceResolution.Failure.EXPIRED);
        case SUPERSEDED -> Optional.of(DeviceResolution.Failure.SUPERSEDED);
      };
      if (notLive.isPresent()) {
        return new DeviceResolution.Failed(notLive.get(), Optional.of(r));
      }
      String actor = approver.actor();
      if (!approve) {
        DeviceRequest done = r.resolve(DeviceRequestState.REJECTED, actor, now, Optional.empty());
        tx.update(done);
        event(tx, DeviceEvent.Type.REJECTED, done.requestId(), done.deviceId(), actor, now);
        return new DeviceResolution.Rejected(done);
      }
      DeviceRequest req = r;
      PairedDevice device = tx.device(r.deviceId())
          .map(d -> d.widen(req.role(), req.scopes(), actor, now))
          .orElseGet(() -> new PairedDevice(req.deviceId(), req.publicKey(), req.displayName(),
              req.platform(), req.clientId(), Set.of(req.role()), req.scopes(), now, actor, now));
      tx.putDevice(device);
      DeviceRequest done = r.resolve(DeviceRequestState.APPROVED, actor, now, Optional.empty());
      tx.update(done);
      event(tx, DeviceEvent.Type.APPROVED, done.requestId(), done.deviceId(), actor, now);
      return new DeviceResolution.Approved(done, device);
    });
  }

  @Override
  public List<DeviceRequest> pending() {
    return tables.inTransaction(tx -> {
      expireDue(tx, clock.instant());
      return tx.pending();
    });
  }

  @Override
  public Optional<DeviceRequest> find(String requestId) {
    return tables.inTransaction(tx -> {
      expireDue(tx, clock.instant());
      return tx.request(requestId);
    });
  }

  @Override
  public Optional<PairedDevice> device(String deviceId) {
    return tables.inTransaction(tx -> tx.device(deviceId));
  }

  @Override
  public List<PairedDevice> devices() {
    return tables.inTransaction(DeviceTables.Tx::devices);
  }

  @Override
  public Optional<PairedDevice> remove(String deviceId, String actor) {
    return tables.inTransaction(tx -> {
      Optional<PairedDevice> device = tx.device(deviceId);
      if (device.isPresent()) {
        tx.deleteDevice(deviceId);
        event(tx, DeviceEvent.Type.REMOVED, deviceId, deviceId, actor, clock.instant());
      }
      return device;
    });
  }

  @Override
  public TokenIssue issueTokenIfNone(String deviceId, String role, String actor) {
    return issue(deviceId, role, actor, true);
  }

  @Override
  public TokenIssue rotate(String deviceId, String role, String actor) {
    return issue(deviceId, role, actor, false);
  }

  private TokenIssue issue(String deviceId, String role, String actor, boolean keepLive) {
    return tables.inTransaction(tx -> {
      Optional<PairedDevice> device = tx.device(deviceId);
      if (device.isEmpty()) {
        return new TokenIssue.Refused(TokenCheck.Failure.NOT_PAIRED);
      }
      if (!device.get().approvedRoles().contains(role)) {
        return new TokenIssue.Refused(TokenCheck.Failure.ROLE_NOT_APPROVED);
      }
      Optional<DeviceTables.TokenRow> existing = tx.token(deviceId, role);
      if (keepLive && existing.isPresent() && existing.get().token().live()) {
        return new TokenIssue.Kept(existing.get().token());
      }
      Instant now = clock.instant();
      BearerSecret secret = BearerSecret.generate(random, TOKEN_BYTES);
      int generation = existing.map(e -> e.token().generation() + 1).orElse(1);
      DeviceToken token = new DeviceToken(deviceId, role, generation, now, actor,
          Optional.empty(), Optional.empty(), Optional.empty());
      tx.putToken(new DeviceTables.TokenRow(token, tokenPepper.hash(secret.reveal())));
      tx.append(new DeviceEvent(0, existing.isPresent() ? DeviceEvent.Type.TOKEN_ROTATED
          : DeviceEvent.Type.TOKEN_ISSUED, deviceId, Optional.of(deviceId), Optional.of(role),
          actor, now));
      return new TokenIssue.Issued(token, secret);
    });
  }

  @Override
  public Optional<DeviceToken> revoke(String deviceId, String role, String actor) {
    return tables.inTransaction(tx -> {
      Optional<DeviceTables.TokenRow> row = tx.token(deviceId, role).filter(r -> r.token().live());
      if (row.isEmpty()) {
        return Optional.<DeviceToken>empty();
      }
      Instant now = clock.instant();
      DeviceToken revoked = row.get().token().revoke(actor, now);
      tx.putToken(new DeviceTables.TokenRow(revoked, row.get().hash()));
      tx.append(new DeviceEvent(0, DeviceEvent.Type.TOKEN_REVOKED, deviceId,
          Optional.of(deviceId), Optional.of(role), actor, now));
      return Optional.of(revoked);
    });
  }

  @Override
  public List<DeviceToken> tokens(String deviceId) {
    return tables.inTransaction(tx ->
        tx.tokens(deviceId).stream().map(DeviceTables.TokenRow::token).toList());
  }

  @Override
  public TokenCheck checkToken(
      String deviceId, String role, Optional<String> presented, Set<String> scopes) {
    return tables.inTransaction(tx -> {
      Optional<PairedDevice> device = tx.device(deviceId);
      if (device.isEmpty()) {
        return failed(TokenCheck.Failure.NOT_PAIRED);
      }
      if (!device.get().approvedRoles().contains(role)) {
        return failed(TokenCheck.Failure.ROLE_NOT_APPROVED);
      }
      Optional<DeviceTables.TokenRow> row = tx.token(deviceId, role);
      Optional<String> given = presented.filter(p -> !p.isEmpty());
      if (given.isEmpty() || row.isEmpty()) {
        return failed(TokenCheck.Failure.TOKEN_MISSING);
      }
      if (!row.get().token().live()) {
        return failed(TokenCheck.Failure.TOKEN_REVOKED);
      }
      if (given.get().length() > MAX_PRESENTED
          || !sameHash(row.get().hash(), tokenPepper.hash(given.get()))) {
        return failed(TokenCheck.Failure.TOKEN_MISMATCH);
      }
      if (!device.get().approvedScopes().containsAll(scopes)) {
        return failed(TokenCheck.Failure.SCOPE_MISMATCH);
      }
      DeviceToken token = row.get().token();
      Instant now = clock.instant();
      if (token.lastUsedAt().map(t -> !now.isBefore(t.plus(LAST_USED_GRANULARITY))).orElse(true)) {
        token = token.used(now);
        tx.putToken(new DeviceTables.TokenRow(token, row.get().hash()));
      }
      return new TokenCheck.Valid(device.get(), token);
    });
  }

  private static TokenCheck failed(TokenCheck.Failure failure) {
    return new TokenCheck.Failed(failure);
  }

  @Override
  public BootstrapIssue issueBootstrap(String actor) {
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      List<BootstrapToken> live = tx.redeemableBootstrap(now);
      if (live.size() >= config.bootstrapLive()) {
        return new BootstrapIssue.Full(Duration.between(now, live.getFirst().expiresAt()));
      }
      BearerSecret secret = BearerSecret.generate(random, TOKEN_BYTES);
      BootstrapToken token = new BootstrapToken(UUID.randomUUID().toString(), now,
          now.plus(config.bootstrapTtl()), actor, Optional.empty(), Optional.empty(),
          Optional.empty());
      tx.insertBootstrap(new DeviceTables.BootstrapRow(token, bootstrapPepper.hash(secret.reveal())));
      tx.append(new DeviceEvent(0, DeviceEvent.Type.BOOTSTRAP_ISSUED, token.id(), Optional.empty(),
          Optional.empty(), actor, now));
      return new BootstrapIssue.Issued(token, secret);
    });
  }

  /**
   * Looked up by HMAC: the index compares HMACs an attacker cannot steer, so its timing says
   * nothing about the token.
   */
  @Override
  public BootstrapRedemption redeemBootstrap(String presented, AccessAsk ask) {
    if (presented.isEmpty() || presented.length() > MAX_PRESENTED) {
      return new BootstrapRedemption.Invalid();
    }
    String hash = bootstrapPepper.hash(presented);
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      Optional<DeviceTables.BootstrapRow> row = tx.bootstrapByHash(hash);
      if (row.isEmpty() || !row.get().token().redeemableAt(now)) {
        return new BootstrapRedemption.Invalid();
      }
      BootstrapToken spent = row.get().token().redeem(ask.identity(), now);
      tx.updateBootstrap(spent);
      String deviceId = ask.deviceId();
      event(tx, DeviceEvent.Type.BOOTSTRAP_REDEEMED, spent.id(), deviceId, deviceActor(deviceId),
          now);
      String approver = "bootstrap:" + spent.id();
      PairedDevice device = tx.device(deviceId)
          .map(d -> d.widen(BOOTSTRAP_ROLE, Set.of(), approver, now))
          .orElseGet(() -> new PairedDevice(deviceId, ask.identity().publicKeyBase64Url(),
              ask.displayName(), ask.platform(), ask.clientId(), Set.of(BOOTSTRAP_ROLE),
              Set.of(), now, approver, now));
      tx.putDevice(device);
      event(tx, DeviceEvent.Type.APPROVED, spent.id(), deviceId, approver, now);
      Optional<DeviceRequest> live = tx.pendingByDevice(deviceId)
          .filter(r -> device.covers(r.role(), r.scopes()));
      if (live.isPresent()) {
        DeviceRequest done =
            live.get().resolve(DeviceRequestState.APPROVED, approver, now, Optional.empty());
        tx.update(done);
        event(tx, DeviceEvent.Type.APPROVED, done.requestId(), deviceId, approver, now);
      }
      return new BootstrapRedemption.Redeemed(spent, device);
    });
  }

  @Override
  public List<BootstrapToken> bootstrapTokens() {
    return tables.inTransaction(tx -> tx.redeemableBootstrap(clock.instant()));
  }

  @Override
  public int sweep() {
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      int expired = 0;
      int batch;
      do {
        batch = expireDue(tx, now);
        expired += batch;
      } while (batch == EXPIRE_BATCH);
      tx.forgetBefore(now.minus(config.keepResolved()));
      return expired;
    });
  }

  @Override
  public List<DeviceEvent> events(long afterSeq, int limit) {
    return tables.inTransaction(tx -> tx.events(afterSeq, limit));
  }

  @Override
  public void close() {
    tables.close();
  }

  private int expireDue(DeviceTables.Tx tx, Instant now) {
    List<DeviceRequest> due = tx.pendingExpiredBy(now, EXPIRE_BATCH);
    due.forEach(r -> expire(tx, r, now));
    return due.size();
  }

  private static DeviceRequest expire(DeviceTables.Tx tx, DeviceRequest r, Instant now) {
    DeviceRequest expired =
        r.resolve(DeviceRequestState.EXPIRED, DeviceEvent.SYSTEM, now, Optional.empty());
    tx.update(expired);
    event(tx, DeviceEvent.Type.EXPIRED, r.requestId(), r.deviceId(), DeviceEvent.SYSTEM, now);
    return expired;
  }

  private static void event(DeviceTables.Tx tx, DeviceEvent.Type type, String subject,
      String deviceId, String actor, Instant at) {
    tx.append(new DeviceEvent(0, type, subject, Optional.of(deviceId), Optional.empty(), actor, at));
  }

  static String deviceActor(String deviceId) {
    return "device:" + deviceId;
  }

  private static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
