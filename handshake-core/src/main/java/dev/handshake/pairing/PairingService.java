package dev.handshake.pairing;

import dev.handshake.store.InMemoryRateLimiter;
import dev.handshake.store.RateLimiter;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every pairing rule (pairing.md §3.2 rules 1–6), written once over {@link PairingTables}: one
 * transaction per call, expiry applied to what a call touches, an event in the same transaction as
 * each change.
 */
final class PairingService implements PairingStore {
  private static final int MAX_META_ENTRIES = 8;
  private static final int MAX_META_KEY = 64;
  private static final int MAX_META_VALUE = 256;
  private static final int EXPIRE_BATCH = 100;
  private static final int CODE_DRAWS = 32;
  /** Namespace of this service's keys in its rate limiter. */
  static final String LIMIT_PREFIX = "pairing:";

  private final PairingTables tables;
  private final PairingConfig config;
  private final Pepper pepper;
  private final Clock clock;
  private final SecureRandom random;
  private final RateLimiter limits;

  /** Limits counted in memory: per node (the embedded default). */
  PairingService(PairingTables tables, PairingConfig config, Pepper pepper, Clock clock,
      SecureRandom random) {
    this(tables, config, pepper, clock, random, new InMemoryRateLimiter(clock));
  }

  /**
   * Limits (approval attempts, request creations) counted in {@code limits}: one shared by every
   * node (Redis) makes them hold across nodes. Keys start with {@value #LIMIT_PREFIX}, apart from
   * whatever else the limiter counts.
   */
  PairingService(PairingTables tables, PairingConfig config, Pepper pepper, Clock clock,
      SecureRandom random, RateLimiter limits) {
    this.tables = tables;
    this.config = config;
    this.pepper = pepper.derive("pairing-code");
    this.clock = clock;
    this.random = random;
    this.limits = limits;
  }

  @Override
  public PairingConfig config() {
    return config;
  }

  @Override
  public RequestOutcome request(
      Requester requester, Map<String, String> displayMeta, Optional<String> source) {
    return open(requester, displayMeta, source, false);
  }

  @Override
  public RequestOutcome renew(
      Requester requester, Map<String, String> displayMeta, Optional<String> source) {
    return open(requester, displayMeta, source, true);
  }

  private RequestOutcome open(
      Requester requester, Map<String, String> displayMeta, Optional<String> source, boolean renew) {
    checkMeta(displayMeta);
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      expireDue(tx, now);
      Optional<Grant> grant = tx.grant(requester).filter(Grant::active);
      if (grant.isPresent()) {
        return new RequestOutcome.AlreadyPaired(grant.get());
      }
      Optional<PairingRequest> live = tx.pendingBySender(requester);
      if (live.isPresent() && !renew) {
        PairingRequest seen = live.get().seen(now);
        tx.update(seen);
        return new RequestOutcome.Refreshed(seen);
      }
      Optional<Duration> throttled = creationThrottle(requester, source);
      if (throttled.isPresent()) {
        return new RequestOutcome.Refused(RequestOutcome.Reason.THROTTLED, throttled.get());
      }
      String requestId = UUID.randomUUID().toString();
      if (live.isPresent()) {
        PairingRequest old = live.get();
        tx.update(old.resolve(RequestState.SUPERSEDED, requester.toString(), now,
            Optional.of(requestId)));
        event(tx, PairingEvent.Type.SUPERSEDED, old, requester.toString(), now);
      }
      if (tx.countPending(requester.channelType(), requester.accountId()) >= config.pendingPerAccount()) {
        return new RequestOutcome.Refused(RequestOutcome.Reason.ACCOUNT_FULL, Duration.ZERO);
      }
      if (tx.countPending() >= config.pendingGlobal()) {
        return new RequestOutcome.Refused(RequestOutcome.Reason.STORE_FULL, Duration.ZERO);
      }
      PairingCode code = freshCode(tx);
      PairingRequest created = new PairingRequest(requestId, requester, displayMeta,
          hash(code), now, now, now.plus(config.codeTtl()), RequestState.PENDING, 0,
          Optional.empty(), Optional.empty(), Optional.empty());
      tx.insert(created);
      recordCreation(requester, source);
      event(tx, PairingEvent.Type.REQUESTED, created, requester.toString(), now);
      return new RequestOutcome.Created(created, code);
    });
  }

  private static void checkMeta(Map<String, String> meta) {
    if (meta.size() > MAX_META_ENTRIES) {
      throw new IllegalArgumentException("at most " + MAX_META_ENTRIES + " display fields");
    }
    meta.forEach((k, v) -> {
      if (k.isEmpty() || k.length() > MAX_META_KEY || v.length() > MAX_META_VALUE) {
        throw new IllegalArgumentException("display field names are 1 to " + MAX_META_KEY
            + " characters and values at most " + MAX_META_VALUE);
      }
    });
  }

  private Optional<Duration> creationThrottle(Requester requester, Optional<String> source) {
    RateLimiter.Decision bySender =
        limits.peek(senderKey(requester), config.createsPerSender(), config.createWindow());
    if (bySender instanceof RateLimiter.Decision.Limited l) {
      return Optional.of(l.retryAfter());
    }
    if (source.isPresent()
        && limits.peek(LIMIT_PREFIX + "create-source:" + source.get(), config.createsPerSource(),
            Duration.ofMinutes(1)) instanceof RateLimiter.Decision.Limited l) {
      return Optional.of(l.retryAfter());
    }
    return Optional.empty();
  }

  private void recordCreation(Requester requester, Optional<String> source) {
    limits.record(senderKey(requester), config.createWindow());
    source.ifPresent(s -> limits.record(LIMIT_PREFIX + "create-source:" + s, Duration.ofMinutes(1)));
  }

  private static String senderKey(Requester r) {
    return LIMIT_PREFIX + "create-sender:" + r.channelType() + "\u0000" + r.accountId() + "\u0000" + r.senderId();
  }

  private PairingCode freshCode(PairingTables.Tx tx) {
    for (int i = 0; i < CODE_DRAWS; i++) {
      PairingCode code = PairingCode.generate(random, config.alphabet());
      if (tx.latestByCodeHash(hash(code)).filter(r -> r.state().live()).isEmpty()) {
        return code;
      }
    }
    throw new IllegalStateException("no unused pairing code after " + CODE_DRAWS + " draws");
  }

  String hash(PairingCode code) {
    return pepper.hash(code.reveal());
  }

  @Override
  public Resolution approve(ApprovalTarget target, Approver approver) {
    return resolve(target, approver, true);
  }

  @Override
  public Resolution deny(ApprovalTarget target, Approver approver) {
    return resolve(target, approver, false);
  }

  private Resolution resolve(ApprovalTarget target, Approver approver, boolean approve) {
    Optional<Duration> limited = attemptLimit(approver);
    if (limited.isPresent()) {
      return new Resolution.Failed(Resolution.Failure.RATE_LIMITED, Optional.empty(), limited.get());
    }
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      expireDue(tx, now);
      Optional<PairingRequest> found = locate(tx, target);
      if (found.isEmpty()) {
        return failed(Resolution.Failure.NOT_FOUND, Optional.empty());
      }
      PairingRequest r = found.get();
      Optional<Resolution.Failure> notLive = notLive(r);
      if (notLive.isPresent()) {
        return failed(notLive.get(), found);
      }
      Optional<PairingCode> confirm = switch (target) {
        case ApprovalTarget.ByIdAndCode t -> Optional.of(t.code());
        case ApprovalTarget.BySenderAndCode t -> Optional.of(t.code());
        default -> Optional.empty();
      };
      if (confirm.isPresent() && !sameHash(r.codeHash(), hash(confirm.get()))) {
        PairingRequest guessed = r.failedGuess();
        if (guessed.failedAttempts() >= config.maxWrongGuesses()) {
          guessed = guessed.resolve(RequestState.EXPIRED, approver.actor(), now, Optional.empty());
          event(tx, PairingEvent.Type.EXPIRED, guessed, approver.actor(), now);
        }
        tx.update(guessed);
        return failed(Resolution.Failure.WRONG_CODE, Optional.of(guessed));
      }
      if (approve) {
        PairingRequest done = r.resolve(RequestState.APPROVED, approver.actor(), now, Optional.empty());
        Grant grant = new Grant(r.requester(), r.requestId(), approver.actor(), now,
            config.grantScopes(), Optional.empty(), Optional.empty());
        tx.update(done);
        tx.putGrant(grant);
        event(tx, PairingEvent.Type.APPROVED, done, approver.actor(), now);
        return new Resolution.Approved(done, grant);
      }
      PairingRequest done = r.resolve(RequestState.DENIED, approver.actor(), now, Optional.empty());
      tx.update(done);
      event(tx, PairingEvent.Type.DENIED, done, approver.actor(), now);
      return new Resolution.Denied(done);
    });
  }

  private Optional<Duration> attemptLimit(Approver approver) {
    String byActor = LIMIT_PREFIX + "attempt-actor:" + approver.actor();
    Optional<String> byAddress = approver.address().map(a -> LIMIT_PREFIX + "attempt-address:" + a);
    for (String key : byAddress.isPresent() ? List.of(byActor, byAddress.get()) : List.of(byActor)) {
      if (limits.peek(key, config.attemptsPerWindow(), config.attemptWindow())
          instanceof RateLimiter.Decision.Limited l) {
        return Optional.of(l.retryAfter());
      }
    }
    limits.record(byActor, config.attemptWindow());
    byAddress.ifPresent(k -> limits.record(k, config.attemptWindow()));
    return Optional.empty();
  }

  private Optional<PairingRequest> locate(PairingTables.Tx tx, ApprovalTarget target) {
    return switch (target) {
      case ApprovalTarget.ByCode t -> tx.latestByCodeHash(hash(t.code()))
          .filter(r -> t.channelType().map(c -> c.equalsIgnoreCase(r.requester().channelType())).orElse(true))
          .filter(r -> t.accountId().map(a -> a.equals(r.requester().accountId())).orElse(true));
      case ApprovalTarget.ById t -> tx.request(t.requestId());
      case ApprovalTarget.ByIdAndCode t -> tx.request(t.requestId());
      case ApprovalTarget.BySenderAndCode t -> tx.pendingBySender(t.requester());
    };
  }

  private static Optional<Resolution.Failure> notLive(PairingRequest r) {
    return switch (r.state()) {
      case PENDING -> Optional.empty();
      case APPROVED -> Optional.of(Resolution.Failure.ALREADY_APPROVED);
      case DENIED -> Optional.of(Resolution.Failure.DENIED);
      case EXPIRED -> Optional.of(Resolution.Failure.EXPIRED);
      case SUPERSEDED -> Optional.of(Resolution.Failure.SUPERSEDED);
    };
  }

  private static Resolution failed(Resolution.Failure f, Optional<PairingRequest> r) {
    return new Resolution.Failed(f, r, Duration.ZERO);
  }

  private static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public boolean isPaired(Requester requester) {
    return grant(requester).filter(Grant::active).isPresent();
  }

  @Override
  public Optional<Grant> grant(Requester requester) {
    return tables.inTransaction(tx -> tx.grant(requester));
  }

  @Override
  public List<Grant> grants(boolean includeRevoked) {
    return tables.inTransaction(tx -> tx.grants(includeRevoked));
  }

  @Override
  public Optional<Grant> revoke(Requester requester, String actor) {
    return tables.inTransaction(tx -> {
      Optional<Grant> active = tx.grant(requester).filter(Grant::active);
      if (active.isEmpty()) {
        return Optional.<Grant>empty();
      }
      Instant now = clock.instant();
      Grant revoked = active.get().revoke(actor, now);
      tx.putGrant(revoked);
      tx.append(new PairingEvent(0, PairingEvent.Type.REVOKED, revoked.requestId(), requester, actor, now));
      return Optional.of(revoked);
    });
  }

  @Override
  public List<PairingRequest> pending(Optional<String> channelType) {
    return tables.inTransaction(tx -> {
      expireDue(tx, clock.instant());
      return tx.pending(channelType.map(c -> c.toLowerCase(java.util.Locale.ROOT)));
    });
  }

  @Override
  public Optional<PairingRequest> find(String requestId) {
    return tables.inTransaction(tx -> {
      expireDue(tx, clock.instant());
      return tx.request(requestId);
    });
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
      tx.forgetResolvedBefore(now.minus(config.keepResolved()));
      limits.sweep();
      return expired;
    });
  }

  @Override
  public Optional<PairingRequest> importRequest(Requester requester, Map<String, String> displayMeta,
      PairingCode code, Instant createdAt, String actor) {
    checkMeta(displayMeta);
    return tables.inTransaction(tx -> {
      Instant now = clock.instant();
      expireDue(tx, now);
      String codeHash = hash(code);
      if (tx.grant(requester).filter(Grant::active).isPresent()
          || tx.pendingBySender(requester).isPresent()
          || tx.latestByCodeHash(codeHash).filter(r -> r.state().live()).isPresent()) {
        return Optional.<PairingRequest>empty();
      }
      Instant created = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      PairingRequest r = new PairingRequest(UUID.randomUUID().toString(), requester, displayMeta,
          codeHash, created, created, created.plus(config.codeTtl()), RequestState.PENDING, 0,
          Optional.empty(), Optional.empty(), Optional.empty());
      if (r.expiredAt(now)) {
        return Optional.<PairingRequest>empty();
      }
      tx.insert(r);
      event(tx, PairingEvent.Type.REQUESTED, r, actor, now);
      return Optional.of(r);
    });
  }

  @Override
  public Optional<Grant> importGrant(Requester requester, Instant approvedAt, String actor) {
    return tables.inTransaction(tx -> {
      if (tx.grant(requester).filter(Grant::active).isPresent()) {
        return Optional.<Grant>empty();
      }
      Instant now = clock.instant();
      Grant g = new Grant(requester, "import", actor,
          approvedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), config.grantScopes(),
          Optional.empty(), Optional.empty());
      tx.putGrant(g);
      tx.append(new PairingEvent(0, PairingEvent.Type.APPROVED, g.requestId(), requester, actor, now));
      return Optional.of(g);
    });
  }

  @Override
  public List<PairingEvent> events(long afterSeq, int limit) {
    return tables.inTransaction(tx -> tx.events(afterSeq, limit));
  }

  private int expireDue(PairingTables.Tx tx, Instant now) {
    List<PairingRequest> due = tx.pendingExpiredBy(now, EXPIRE_BATCH);
    for (PairingRequest r : due) {
      PairingRequest expired = r.resolve(RequestState.EXPIRED, PairingEvent.SYSTEM, now, Optional.empty());
      tx.update(expired);
      event(tx, PairingEvent.Type.EXPIRED, expired, PairingEvent.SYSTEM, now);
    }
    return due.size();
  }

  private static void event(
      PairingTables.Tx tx, PairingEvent.Type type, PairingRequest r, String actor, Instant at) {
    tx.append(new PairingEvent(0, type, r.requestId(), r.requester(), actor, at));
  }

  @Override
  public void close() {
    tables.close();
  }
}
