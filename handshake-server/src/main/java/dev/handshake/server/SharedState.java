package dev.handshake.server;

import dev.handshake.audit.AuditStore;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.PairingTables;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.PepperFingerprint;
import dev.handshake.pairing.PepperFingerprintStore;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceStores;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.DeviceFlowStore;
import dev.handshake.pairing.flow.FlowStores;
import dev.handshake.relay.RelayCluster;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.StoreUnavailableException;
import dev.handshake.store.postgres.PostgresAccessTokenStore;
import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresDatabase;
import dev.handshake.store.postgres.PostgresDeviceFlowStore;
import dev.handshake.store.postgres.PostgresDeviceTables;
import dev.handshake.store.postgres.PostgresLogStore;
import dev.handshake.store.postgres.PostgresPairingTables;
import dev.handshake.store.postgres.PostgresPepperFingerprintStore;
import dev.handshake.store.postgres.PostgresReplayStore;
import dev.handshake.store.postgres.PostgresTimestampStore;
import dev.handshake.store.redis.RedisAccessTokenStore;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisDeviceFlowStore;
import dev.handshake.store.redis.RedisDeviceTables;
import dev.handshake.store.redis.RedisPairingTables;
import dev.handshake.store.redis.RedisPepperFingerprintStore;
import dev.handshake.store.redis.RedisRateLimiter;
import dev.handshake.store.redis.RedisRelayRouter;
import dev.handshake.store.redis.RedisReplayStore;
import dev.handshake.store.redis.RedisSessionEventBus;
import dev.handshake.store.redis.RedisSessionStore;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteLogStore;
import dev.handshake.store.sqlite.SqliteStores;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server keeps state that several nodes must share (issue 7, docs/STORES.md): embedded
 * by default (sessions in memory, everything durable in SQLite files in the data folder), Redis
 * with {@code serve --redis redis://…} (sessions with TTL, the WebSocket event bus between nodes,
 * rate limits, replay memory, keep relay routing between nodes; and pairing when there is no
 * {@code --db}), PostgreSQL with {@code serve --db postgresql://…} (pairing: channel requests and
 * grants, devices, device flows, access tokens; the audit chains and each node's own transparency
 * log; and replay memory when there is no Redis). Pairing goes to PostgreSQL when both are
 * configured. Each accessor answers with the shared store when one is configured and otherwise
 * with the embedded one, so the rest of the server does not care. Where pairing is shared, {@link
 * #checkPepper} refuses a node whose pepper is not the first node's, and the pairing limits are
 * counted in Redis when it is configured.
 */
public final class SharedState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedState.class);

  /** Replay memory entries kept per store in Redis (the in-memory default's bound). */
  static final long REDIS_REPLAY_MAX = 1_000_000;

  /** Makes the embedded store when nothing shared is configured. */
  @FunctionalInterface
  public interface Embedded<T> {
    T open() throws IOException;
  }

  private final Optional<RedisConnection> redis;
  private final Optional<PostgresDatabase> db;
  private final List<AutoCloseable> owned = new ArrayList<>();

  private SharedState(Optional<RedisConnection> redis, Optional<PostgresDatabase> db) {
    this.redis = redis;
    this.db = db;
  }

  /** Nothing shared: memory and SQLite, one node. */
  public static SharedState embedded() {
    return new SharedState(Optional.empty(), Optional.empty());
  }

  /**
   * Connects to what is configured and checks that it answers, so a wrong URL stops the start
   * with a clear message instead of failing the first request.
   *
   * @throws IOException when Redis or PostgreSQL cannot be reached or the URL is malformed
   */
  public static SharedState open(Optional<String> redisUrl, Optional<String> dbUrl)
      throws IOException {
    Optional<RedisConnection> redis = Optional.empty();
    Optional<PostgresDatabase> db = Optional.empty();
    try {
      if (redisUrl.isPresent()) {
        RedisConnection r = RedisConnection.open(redisUrl.get());
        redis = Optional.of(r);
        r.ping();
        LOG.info("shared state: Redis at {}", r.address());
      }
      if (dbUrl.isPresent()) {
        PostgresDatabase d = PostgresDatabase.open(dbUrl.get());
        db = Optional.of(d);
        LOG.info("shared state: PostgreSQL at {}", d.config().address());
      }
      return new SharedState(redis, db);
    } catch (StoreUnavailableException | IllegalArgumentException e) {
      redis.ifPresent(RedisConnection::close);
      db.ifPresent(PostgresDatabase::close);
      throw new IOException(e.getMessage(), e);
    } catch (RuntimeException e) {
      redis.ifPresent(RedisConnection::close);
      db.ifPresent(PostgresDatabase::close);
      throw e;
    }
  }

  public Optional<RedisConnection> redis() {
    return redis;
  }

  public Optional<PostgresDatabase> db() {
    return db;
  }

  /** Whether sessions and their pushes are shared between nodes (Redis). */
  public boolean sharedSessions() {
    return redis.isPresent();
  }

  /** Sets the engine's session store, event bus and rate limiter to Redis when configured. */
  public SessionEngine.Builder sessions(SessionEngine.Builder builder, Clock clock) {
    redis.ifPresent(r -> {
      RedisSessionEventBus bus = RedisSessionEventBus.create(r);
      synchronized (owned) {
        owned.add(bus);
      }
      builder.store(RedisSessionStore.create(r, clock))
          .eventBus(bus)
          .rateLimiter(RedisRateLimiter.create(r, clock));
    });
    return builder;
  }

  /**
   * Replay memory named {@code name}: in Redis when configured (a sorted set per name), else in
   * PostgreSQL (one table; callers namespace their signers), else {@code embedded}.
   */
  public ReplayStore replayStore(String name, Embedded<ReplayStore> embedded) throws IOException {
    if (redis.isPresent()) {
      return RedisReplayStore.create(redis.get(), name, REDIS_REPLAY_MAX);
    }
    if (db.isPresent()) {
      return PostgresReplayStore.open(db.get());
    }
    return embedded.open();
  }

  /**
   * How the keep relay reaches agents on other nodes: with Redis, a {@link RedisRelayRouter}
   * (random node id, names leased and renewed) and the relay's replay memory shared in Redis, so
   * a packet accepted by one node is a replay on every other; else standalone (one node).
   */
  public RelayCluster relayCluster(int replayCapacity) {
    if (redis.isEmpty()) {
      return RelayCluster.standalone();
    }
    RedisRelayRouter router = RedisRelayRouter.create(redis.get());
    synchronized (owned) {
      // closed before the connection: releases this node's names at once
      owned.add(router);
    }
    return RelayCluster.shared(router,
        RedisReplayStore.create(redis.get(), "relay", Math.max(replayCapacity, 1)));
  }

  /** Where pairing state lives, for the start-up log: PostgreSQL, then Redis, else the data folder. */
  public Optional<String> sharedPairing() {
    if (db.isPresent()) {
      return Optional.of("PostgreSQL");
    }
    return redis.map(r -> "Redis at " + r.address());
  }

  /**
   * The channel pairing store: PostgreSQL when configured, else Redis when configured, else SQLite
   * in {@code dataDir}. With Redis, its approval-attempt and request-creation limits are counted in
   * Redis ({@link RedisRateLimiter}), so they hold across nodes (also when the rows are in
   * PostgreSQL); else per process, in memory.
   */
  public PairingStore pairingStore(Path dataDir, PairingConfig config, Pepper pepper, Clock clock)
      throws IOException {
    if (db.isPresent()) {
      return sharedPairing(PostgresPairingTables.open(db.get()), config, pepper, clock);
    }
    if (redis.isPresent()) {
      return sharedPairing(RedisPairingTables.open(redis.get()), config, pepper, clock);
    }
    return SqliteStores.pairing(dataDir, config, pepper, clock);
  }

  private PairingStore sharedPairing(
      PairingTables tables, PairingConfig config, Pepper pepper, Clock clock) {
    return redis.isPresent()
        ? PairingStores.over(tables, config, pepper, clock,
            RedisRateLimiter.create(redis.get(), clock))
        : PairingStores.over(tables, config, pepper, clock);
  }

  /**
   * Refuses a pepper other than the one every node sharing pairing state hashes with (issue 7):
   * where pairing lives in PostgreSQL or Redis, the {@link PepperFingerprint} of the first node's
   * pepper is recorded there when none is yet, and ours must match it. Only the fingerprint is
   * stored and compared (in constant time), never the pepper, and neither is logged. Does nothing
   * when pairing is embedded (one node).
   *
   * @param pepperFile where {@code pepper} was read from, for the message
   * @throws PepperMismatchException when the recorded fingerprint is another pepper's
   * @throws IOException when the store cannot be reached or holds something else
   */
  public void checkPepper(Pepper pepper, Path pepperFile) throws IOException {
    Optional<PepperFingerprintStore> store = pepperFingerprints();
    if (store.isEmpty()) {
      return;
    }
    String where = pairingAddress();
    PepperFingerprint ours = PepperFingerprint.of(pepper);
    PepperFingerprint stored;
    try {
      stored = store.get().claim(ours);
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new IOException("checking the pairing pepper against " + where + ": " + e.getMessage(),
          e);
    }
    if (!stored.matches(ours)) {
      throw new PepperMismatchException(where, pepperFile);
    }
    LOG.info("pairing pepper: the same as every node's in {}", where);
  }

  /** Where the pepper fingerprint lives: where pairing does, when it is shared. */
  private Optional<PepperFingerprintStore> pepperFingerprints() {
    if (db.isPresent()) {
      return Optional.of(PostgresPepperFingerprintStore.open(db.get()));
    }
    return redis.map(RedisPepperFingerprintStore::create);
  }

  /** The shared store pairing lives in, with its address (never credentials), for messages. */
  private String pairingAddress() {
    return db.map(d -> "PostgreSQL at " + d.config().address())
        .or(() -> redis.map(r -> "Redis at " + r.address()))
        .orElse("the data folder");
  }

  /** The device store: PostgreSQL, else Redis, else SQLite in {@code dataDir}. */
  public DeviceStore deviceStore(Path dataDir, DevicePairingConfig config, Pepper pepper,
      Clock clock) throws IOException {
    if (db.isPresent()) {
      return PostgresDeviceTables.store(db.get(), config, pepper, clock);
    }
    if (redis.isPresent()) {
      return RedisDeviceTables.store(redis.get(), config, pepper, clock);
    }
    return SqliteStores.devices(dataDir, config, pepper, clock);
  }

  /** Device flows: PostgreSQL, else Redis, else SQLite in {@code dataDir}. */
  public DeviceFlowStore flowStore(Path dataDir) throws IOException {
    if (db.isPresent()) {
      return PostgresDeviceFlowStore.open(db.get());
    }
    if (redis.isPresent()) {
      return RedisDeviceFlowStore.create(redis.get());
    }
    return SqliteStores.flows(dataDir);
  }

  /** Access tokens: PostgreSQL, else Redis, else SQLite in {@code dataDir}. */
  public AccessTokenStore tokenStore(Path dataDir) throws IOException {
    if (db.isPresent()) {
      return PostgresAccessTokenStore.open(db.get());
    }
    if (redis.isPresent()) {
      return RedisAccessTokenStore.create(redis.get());
    }
    return SqliteStores.tokens(dataDir);
  }

  /** Whether the audit chains and transparency logs are in PostgreSQL (shared with other nodes). */
  public boolean sharedAudit() {
    return db.isPresent();
  }

  /**
   * The audit store (agents' chains and heads): PostgreSQL when configured, where every node's
   * chain sits beside the others' (each node signs with its own key, so chains never mix), else
   * SQLite in {@code dataDir}.
   */
  public AuditStore auditStore(Path dataDir) throws IOException {
    return db.isPresent() ? PostgresAuditStore.open(db.get()) : SqliteAuditStore.open(dataDir);
  }

  /**
   * The store of the transparency log {@code logName}: in PostgreSQL when configured, one log per
   * name with one writer each (a node names its log after its own checkpoint origin), else the
   * SQLite file in {@code dataDir}, which holds one log whatever the name.
   *
   * @throws IllegalArgumentException when {@code logName} is not a valid PostgreSQL log name
   */
  public LogStore logStore(Path dataDir, String logName) {
    return db.isPresent()
        ? PostgresLogStore.open(db.get(), logName)
        : SqliteLogStore.open(dataDir);
  }

  /**
   * The RFC 3161 token sidecar ({@code handshake audit timestamp}): PostgreSQL beside the chains
   * when configured, else SQLite in {@code dataDir}.
   */
  public TimestampStore timestampStore(Path dataDir) throws IOException {
    return db.isPresent()
        ? PostgresTimestampStore.open(db.get())
        : SqliteTimestampStore.open(dataDir);
  }

  /** Where the audit chains are, for messages: the database's address or {@code dataDir}. */
  public String auditLocation(Path dataDir) {
    return db.map(d -> "PostgreSQL at " + d.config().address()).orElse(dataDir.toString());
  }

  /** One line for the start-up banner. */
  public String describe() {
    if (redis.isEmpty() && db.isEmpty()) {
      return "embedded (sessions in memory, SQLite in the data folder)";
    }
    List<String> parts = new ArrayList<>();
    redis.ifPresent(r -> parts.add("Redis at " + r.address()));
    db.ifPresent(d -> parts.add("PostgreSQL at " + d.config().address()));
    return String.join(", ", parts);
  }

  @Override
  public void close() {
    synchronized (owned) {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing {}: {}", c, e.toString());
        }
      }
      owned.clear();
    }
    redis.ifPresent(RedisConnection::close);
    db.ifPresent(PostgresDatabase::close);
  }

  @Override
  public String toString() {
    return "SharedState[" + describe() + "]";
  }
}
