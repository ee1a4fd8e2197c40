package dev.handshake.server;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.AuditStore;
import dev.handshake.audit.http.AuditHttpApi;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyProtection;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PassphraseSource;
import dev.handshake.server.relay.RelayAuditTap;
import dev.handshake.store.sqlite.SqliteAuditStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's audit log: its own Ed25519 identity ({@code <data>/server-audit.key}, our encrypted
 * key format), its chain and the signed events of other agents in {@code <data>/audit.db}, the
 * transparency log in {@code <data>/transparency-log.db} (both in PostgreSQL with {@code serve
 * --db}, see {@link SharedState}), an {@link AuditLedger} over both, an {@link AuditRecorder} for
 * the server's own decisions and the read-only HTTP endpoints.
 *
 * <p>The one key signs the log's checkpoints (text notes starting with the origin line) and the
 * server's chain events and heads (canonical JSON objects), so the two kinds of signed message can
 * never be mistaken for each other.
 */
public final class ServerAudit implements AutoCloseable {
  public static final String KEY_FILE = "server-audit.key";
  public static final String PASS_FILE = "server-audit.pass";
  public static final String DEFAULT_ORIGIN = "handshake.local/audit";
  private static final Logger LOG = LoggerFactory.getLogger(ServerAudit.class);

  private final AuditLedger ledger;
  private final AuditRecorder recorder;
  private final AuditHttpApi http;
  private final List<RelayAuditTap> taps = new CopyOnWriteArrayList<>();

  private ServerAudit(AuditLedger ledger, AuditRecorder recorder) {
    this.ledger = ledger;
    this.recorder = recorder;
    this.http = new AuditHttpApi(ledger);
  }

  /**
   * The recorder kinds on by default: pairing and delegation decisions. Relay receipts ({@link
   * AuditRecorder.Kind#RELAY}) cost one durable event per forwarded packet and are opt-in.
   */
  public static final Set<AuditRecorder.Kind> DEFAULT_KINDS =
      Set.copyOf(EnumSet.of(AuditRecorder.Kind.PAIRING, AuditRecorder.Kind.DELEGATION));

  /**
   * Opens (creating on first use) the audit state in {@code dataDir}, with the recorder kinds
   * {@code kinds} and default key protection.
   *
   * @param passphrase the key file's passphrase, or empty to use (and on first start generate)
   *     {@code <data>/server-audit.pass}
   */
  public static ServerAudit open(
      Path dataDir, Optional<String> passphrase, Set<AuditRecorder.Kind> kinds) throws IOException {
    return open(dataDir, passphrase, kinds, SharedState.embedded());
  }

  /**
   * As {@link #open(Path, Optional, Set)}, with the chains and this node's transparency log in
   * PostgreSQL when {@code shared} has it (see {@link #open(Path, Optional, String, Set,
   * KeyProtection, Clock, SharedState)}).
   */
  public static ServerAudit open(
      Path dataDir, Optional<String> passphrase, Set<AuditRecorder.Kind> kinds, SharedState shared)
      throws IOException {
    return open(
        dataDir,
        passphrase,
        DEFAULT_ORIGIN,
        kinds,
        KeyProtection.defaults(),
        Clock.systemUTC(),
        shared);
  }

  /** The embedded audit state (SQLite in {@code dataDir}) with the given origin and clock. */
  public static ServerAudit open(
      Path dataDir,
      Optional<String> passphrase,
      String origin,
      Set<AuditRecorder.Kind> kinds,
      KeyProtection protection,
      Clock clock)
      throws IOException {
    return open(dataDir, passphrase, origin, kinds, protection, clock, SharedState.embedded());
  }

  /**
   * Opens the audit state. The key always stays in {@code dataDir}: each node has its own
   * identity, chain and log. Where chains and log live depends on {@code shared}:
   *
   * <ul>
   *   <li>embedded: {@code <data>/audit.db} and {@code <data>/transparency-log.db}; the log's
   *       origin is {@code origin};
   *   <li>PostgreSQL ({@code serve --db}): every node's chain in the shared audit tables, and this
   *       node's own log named {@code <origin>/<server agent id>}, which is also the origin its
   *       checkpoints carry, so the nodes' logs are told apart by name as well as by key. A log has
   *       one writer; the name is derived from the key in {@code dataDir}, so two nodes collide
   *       only if they share a data folder's key. On opening, only this node's chain is
   *       reconciled into its log.
   * </ul>
   */
  public static ServerAudit open(
      Path dataDir,
      Optional<String> passphrase,
      String origin,
      Set<AuditRecorder.Kind> kinds,
      KeyProtection protection,
      Clock clock,
      SharedState shared)
      throws IOException {
    Files.createDirectories(dataDir);
    Ed25519PrivateKey key = loadOrCreateKey(dataDir, passphrase, protection);
    String agentId = AgentIds.aiss(key.publicKey());
    String logOrigin = shared.sharedAudit() ? origin + "/" + agentId : origin;
    if (shared.sharedAudit()) {
      refuseToForkAnEmbeddedChain(dataDir, agentId);
    }
    AuditStore store = shared.auditStore(dataDir);
    AuditLedger ledger;
    try {
      LogStore logStore = shared.logStore(dataDir, logOrigin);
      TransparencyLog log;
      try {
        log = TransparencyLog.open(logStore);
      } catch (RuntimeException e) {
        logStore.close();
        throw e;
      }
      CheckpointSigner signer = CheckpointSigner.create(logOrigin, key);
      ledger =
          shared.sharedAudit()
              ? AuditLedger.open(
                  store, log, signer, AuditLedger.DEFAULT_MAX_INDEXED, agentId::equals)
              : AuditLedger.open(store, log, signer);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    AgentChain chain = AgentChain.open(key, ledger.store(), clock);
    LOG.info(
        "audit log {} ({} entries) in {}, server agent {}, log key {}",
        logOrigin,
        ledger.size(),
        shared.sharedAudit() ? "PostgreSQL" : dataDir,
        chain.agentId(),
        ledger.verifierKey().text());
    return new ServerAudit(ledger, new AuditRecorder(ledger, chain, kinds));
  }

  /**
   * A data folder whose {@code audit.db} already holds this key's chain was run without {@code
   * --db}: starting a second chain for the same agent in PostgreSQL would look like a fork to
   * anyone who saw the first, so the start stops and says what to do instead.
   */
  private static void refuseToForkAnEmbeddedChain(Path dataDir, String agentId)
      throws IOException {
    if (!Files.exists(dataDir.resolve(SqliteAuditStore.FILE_NAME))) {
      return;
    }
    long embedded;
    try (SqliteAuditStore sqlite = SqliteAuditStore.open(dataDir)) {
      embedded = sqlite.count(agentId);
    }
    if (embedded > 0) {
      throw new IOException(
          dataDir.resolve(SqliteAuditStore.FILE_NAME)
              + " holds "
              + embedded
              + " events of this server's chain (agent "
              + agentId
              + "), kept without --db; with --db the chain would start again in PostgreSQL, a fork"
              + " of the same agent. Give this node a new --data folder (a new key), or keep"
              + " running it without --db (archive the old chain with 'handshake audit archive'"
              + " first if you retire it).");
    }
  }

  private static Ed25519PrivateKey loadOrCreateKey(
      Path dataDir, Optional<String> fromEnv, KeyProtection protection) throws IOException {
    Path keyFile = dataDir.resolve(KEY_FILE);
    Path passFile = dataDir.resolve(PASS_FILE);
    String secret;
    if (fromEnv.isPresent() && !fromEnv.get().isEmpty()) {
      secret = fromEnv.get();
    } else if (Files.exists(passFile)) {
      secret = Files.readString(passFile, StandardCharsets.UTF_8).trim();
      LOG.warn("the server audit key is protected only by {}; set a passphrase variable to do better", passFile);
    } else if (Files.exists(keyFile)) {
      throw new IOException(
          keyFile + " exists but no passphrase was given (environment variable unset, no " + passFile + ")");
    } else {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      secret = Base64Text.encode(random);
      writeOwnerOnly(passFile, (secret + "\n").getBytes(StandardCharsets.UTF_8));
      LOG.warn(
          "no audit passphrase variable set: generated one in {}; the server audit key is protected only by that file",
          passFile);
    }
    try (Passphrase pass = Passphrase.copyOf(secret)) {
      if (Files.exists(keyFile)) {
        return KeyFiles.load(keyFile, PassphraseSource.of(pass)).key();
      }
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
      KeyFiles.save(keyFile, key, pass, protection, Optional.of("handshake server audit"));
      LOG.info("created the server audit key {}", keyFile);
      return key;
    }
  }

  /** Creates {@code file} with mode 0600 from the start (never widened then narrowed). */
  static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
    FileAttribute<?>[] attrs =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    try (FileChannel channel =
        FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      channel.write(ByteBuffer.wrap(bytes));
      channel.force(true);
    }
  }

  public AuditLedger ledger() {
    return ledger;
  }

  /**
   * A new relay tap writing receipts through {@link #recorder()}, closed (after writing what it
   * queued) when this closes. Install it with {@code RelayEngine.observe}.
   */
  public RelayAuditTap relayTap(int queueCapacity) {
    RelayAuditTap tap = RelayAuditTap.start(recorder, queueCapacity);
    taps.add(tap);
    return tap;
  }

  public AuditRecorder recorder() {
    return recorder;
  }

  public AuditHttpApi http() {
    return http;
  }

  @Override
  public void close() {
    taps.forEach(RelayAuditTap::close);
    ledger.close();
  }
}
