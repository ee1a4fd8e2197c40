package dev.handshake.server;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.store.redis.RedisReplayStore;
import dev.handshake.store.sqlite.SqliteReplayStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's delegation receiver: the one {@link ReplayStore} every {@code /delegation/verify}
 * request shares (so a packet accepted through one connection is a replay through any other), the
 * registry and trust anchors from the server's configuration, and the {@link DelegationHttpApi}
 * over them, with receipts through the server's audit recorder when it keeps an audit log.
 */
public final class ServerDelegation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDelegation.class);

  private final ReplayStore replay;
  private final DelegationTrust trust;
  private final DelegationHttpApi http;

  private ServerDelegation(ReplayStore replay, DelegationTrust trust, DelegationHttpApi http) {
    this.replay = replay;
    this.trust = trust;
    this.http = http;
  }

  /**
   * Opens the receiver's state in {@code dataDir}.
   *
   * @param ours the default profile's settings ({@link HandoffConfig#defaults()} in production)
   * @param recorder the audit recorder, when the server keeps an audit log
   */
  public static ServerDelegation open(
      Path dataDir,
      HandoffConfig ours,
      DelegationTrust trust,
      Optional<AuditRecorder> recorder,
      Clock clock)
      throws IOException {
    return open(dataDir, ours, trust, recorder, SharedState.embedded(), clock);
  }

  /**
   * As above, with the replay memory in Redis or PostgreSQL when {@code shared} has them, so a
   * hand-off accepted by one node is a replay on every other (issue 7).
   */
  public static ServerDelegation open(
      Path dataDir,
      HandoffConfig ours,
      DelegationTrust trust,
      Optional<AuditRecorder> recorder,
      SharedState shared,
      Clock clock)
      throws IOException {
    // Durable replay memory: a restart never reopens an accepted nonce (delegation-replay.db).
    ReplayStore replay = shared.replayStore(RedisReplayStore.DEFAULT_NAME,
        () -> SqliteReplayStore.open(dataDir));
    LOG.info(
        "delegation receiver: {} registered agents, {} trust anchors, replay store {}",
        trust.registry().size(),
        trust.trustAnchors().size(),
        replay);
    return new ServerDelegation(
        replay, trust, DelegationHttpApi.create(ours, trust, replay, recorder, clock));
  }

  public DelegationHttpApi http() {
    return http;
  }

  public DelegationTrust trust() {
    return trust;
  }

  /** The shared replay store (for metrics and tests). */
  public ReplayStore replayStore() {
    return replay;
  }

  @Override
  public void close() {
    replay.close();
  }
}
