package dev.handshake.audit;

import dev.handshake.audit.log.Checkpoint;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.audit.log.TreeHead;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AISS chains whose events and heads are also entries of a {@link TransparencyLog} (aiss.md §3
 * item 6): every event recorded through the ledger is appended to its agent's chain in the {@link
 * AuditStore} and then logged as the entry
 *
 * <pre>{@code {"agent_id":"…","event_hash":"…","kind":"aiss-event","seq":n}}</pre>
 *
 * (UTF-8 RFC 8785 canonical JSON; {@code seq} is the event's 0-based position in its chain), and
 * every head recorded through it as {@code {"kind":"chain-head", …ChainHead.toJson()}}. The ledger
 * signs the log's tree heads with its own {@link CheckpointSigner} and hands out {@code
 * tlog-proof} inclusion bundles and consistency bundles.
 *
 * <p><b>Crash ordering.</b> An event is durable in the store before its log entry is appended. A
 * crash (or a failed log write) between the two leaves an event that is in its chain but not yet in
 * the log; {@link #open} — and {@link #reconcile()} at any time — compares each agent's stored
 * events with the logged ones and appends the missing ones in store order. Events appended to the
 * store directly (an {@link AgentChain} used without the ledger, another process) are picked up
 * the same way. The log never holds an event the store does not.
 *
 * <p><b>Several ledgers on one store.</b> When server nodes share one store (PostgreSQL, issue 7),
 * each node keeps its own log, and a ledger opened with {@link #open(AuditStore, TransparencyLog,
 * CheckpointSigner, int, Predicate)} reconciles only the chains it records, so a node's log never
 * picks up the other nodes' events (and opening does not read every chain in the database).
 *
 * <p>Thread-safe: recording is serialised, so per agent the log order is the chain order. The
 * ledger owns the store and the log and closes both.
 */
public final class AuditLedger implements AutoCloseable {
  /** Default bound of the in-memory event-hash → index map. */
  public static final int DEFAULT_MAX_INDEXED = 100_000;

  public static final String KIND_EVENT = "aiss-event";
  public static final String KIND_HEAD = "chain-head";
  private static final int RECONCILE_BATCH = 4096;

  private final AuditStore store;
  private final TransparencyLog log;
  private final CheckpointSigner signer;
  private final Predicate<String> reconciledAgents;
  private final Map<String, Long> indexByHash;
  private @Nullable SignedNote latest;
  private long latestSize = -1;

  private AuditLedger(
      AuditStore store,
      TransparencyLog log,
      CheckpointSigner signer,
      int maxIndexed,
      Predicate<String> reconciledAgents) {
    if (maxIndexed < 1) {
      throw new IllegalArgumentException("maxIndexed must be positive");
    }
    this.store = store;
    this.log = log;
    this.signer = signer;
    this.reconciledAgents = reconciledAgents;
    this.indexByHash =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > maxIndexed;
          }
        };
  }

  /** {@link #open(AuditStore, TransparencyLog, CheckpointSigner, int)} with the default bound. */
  public static AuditLedger open(AuditStore store, TransparencyLog log, CheckpointSigner signer) {
    return open(store, log, signer, DEFAULT_MAX_INDEXED);
  }

  /**
   * Opens the ledger: reads every log entry once to rebuild the event-hash index (keeping the
   * newest {@code maxIndexed} events), then appends stored events missing from the log.
   */
  public static AuditLedger open(
      AuditStore store, TransparencyLog log, CheckpointSigner signer, int maxIndexed) {
    return open(store, log, signer, maxIndexed, agentId -> true);
  }

  /**
   * As {@link #open(AuditStore, TransparencyLog, CheckpointSigner, int)}, reconciling only the
   * chains of agents that {@code reconciledAgents} accepts: the agents this ledger records, when
   * other ledgers with logs of their own write to the same store.
   */
  public static AuditLedger open(
      AuditStore store,
      TransparencyLog log,
      CheckpointSigner signer,
      int maxIndexed,
      Predicate<String> reconciledAgents) {
    AuditLedger ledger = new AuditLedger(store, log, signer, maxIndexed, reconciledAgents);
    ledger.reconcile();
    return ledger;
  }

  /**
   * Appends to the log every stored event that is not in it yet, per agent in store order (of the
   * agents this ledger reconciles), and returns how many were appended.
   */
  public synchronized int reconcile() {
    indexByHash.clear();
    Set<String> logged = new HashSet<>();
    long size = log.size();
    for (long i = 0; i < size; i++) {
      Optional<JsonNode> entry = Json.tryParse(log.entry(i));
      if (entry.isPresent()
          && KIND_EVENT.equals(entry.get().path("kind").stringValue(""))
          && entry.get().path("event_hash").isString()) {
        String hash = entry.get().path("event_hash").stringValue();
        logged.add(hash);
        indexByHash.put(hash, i);
      }
    }
    int appended = 0;
    for (String agentId : store.agents()) {
      if (!reconciledAgents.test(agentId)) {
        continue;
      }
      List<AuditEvent> events = store.events(agentId);
      List<byte[]> batch = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      for (int seq = 0; seq < events.size(); seq++) {
        String hash = events.get(seq).hash();
        if (!logged.contains(hash)) {
          batch.add(eventEntry(agentId, hash, seq));
          hashes.add(hash);
          if (batch.size() == RECONCILE_BATCH) {
            appended += appendEvents(batch, hashes);
          }
        }
      }
      if (!batch.isEmpty()) {
        appended += appendEvents(batch, hashes);
      }
    }
    return appended;
  }

  private int appendEvents(List<byte[]> batch, List<String> hashes) {
    long first = log.appendAll(batch);
    for (int i = 0; i < hashes.size(); i++) {
      indexByHash.put(hashes.get(i), first + i);
    }
    int n = batch.size();
    batch.clear();
    hashes.clear();
    return n;
  }

  /**
   * Stamps {@code payload} onto {@code chain} (durable in the store) and then logs it.
   *
   * @throws IllegalArgumentException when the payload is outside the signable subset
   * @throws dev.handshake.audit.log.LogStoreException when the log write failed; the event is
   *     then in the chain and the next {@link #reconcile()} or {@link #open} logs it
   */
  public synchronized AuditEvent record(AgentChain chain, ObjectNode payload) {
    AuditEvent event = chain.append(payload);
    String hash = event.hash();
    long seq = store.count(chain.agentId()) - 1;
    if (!store.last(chain.agentId()).map(AuditEvent::hash).orElse("").equals(hash)) {
      seq = positionOf(chain.agentId(), hash);
    }
    long index = log.append(eventEntry(chain.agentId(), hash, seq));
    indexByHash.put(hash, index);
    return event;
  }

  private long positionOf(String agentId, String hash) {
    List<AuditEvent> events = store.events(agentId);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).hash().equals(hash)) {
        return i;
      }
    }
    throw new IllegalStateException("event " + hash + " vanished from its chain");
  }

  /** Signs {@code chain}'s head (stored as its newest head) and logs it. */
  public synchronized ChainHead recordHead(AgentChain chain) {
    ChainHead head = chain.signHead();
    ObjectNode entry = head.toJson();
    entry.put("kind", KIND_HEAD);
    log.append(CanonicalJson.canonicalize(entry));
    return head;
  }

  /** The log index of a recorded event, if it is among the newest indexed ones. */
  public synchronized OptionalLong indexOf(String eventHash) {
    Long index = indexByHash.get(eventHash);
    return index == null ? OptionalLong.empty() : OptionalLong.of(index);
  }

  /** The log's signed checkpoint of its current size; re-signed only when the size changed. */
  public synchronized SignedNote checkpoint() {
    TreeHead head = log.head();
    if (latest == null || latestSize != head.size()) {
      latest = signer.sign(head);
      latestSize = head.size();
    }
    return latest;
  }

  /**
   * The {@code c2sp.org/tlog-proof@v1} bundle of entry {@code index} against the latest
   * checkpoint.
   *
   * @throws IndexOutOfBoundsException when there is no such entry
   */
  public String inclusionBundle(long index) {
    SignedNote note = checkpoint();
    long size = Checkpoint.parseOrThrow(note).size();
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("no entry " + index + " in a log of " + size);
    }
    return ProofBundle.create(log, index, note).format();
  }

  /**
   * The consistency bundle from the tree of {@code oldSize} leaves (its checkpoint signed now) to
   * the latest checkpoint. A verifier compares the older checkpoint's root with the one it saw.
   *
   * @throws IndexOutOfBoundsException when {@code oldSize} is not in {@code 0..size()}
   */
  public String consistencyBundle(long oldSize) {
    SignedNote newer = checkpoint();
    long size = Checkpoint.parseOrThrow(newer).size();
    if (oldSize < 0 || oldSize > size) {
      throw new IndexOutOfBoundsException("size " + oldSize + " is outside 0.." + size);
    }
    SignedNote older = signer.sign(new TreeHead(oldSize, log.root(oldSize)));
    return ConsistencyBundle.create(log, older, newer).format();
  }

  /** The bytes of entry {@code index}. */
  public byte[] entry(long index) {
    if (index < 0 || index >= log.size()) {
      throw new IndexOutOfBoundsException("no entry " + index + " in a log of " + log.size());
    }
    return log.entry(index);
  }

  public long size() {
    return log.size();
  }

  /** The key verifiers trust for this log's checkpoints ({@code LogTrust.of(verifierKey())}). */
  public VerifierKey verifierKey() {
    return signer.verifierKey();
  }

  public String origin() {
    return signer.origin();
  }

  public AuditStore store() {
    return store;
  }

  public TransparencyLog log() {
    return log;
  }

  /** The log entry that records event {@code eventHash} at position {@code seq} of its chain. */
  public static byte[] eventEntry(String agentId, String eventHash, long seq) {
    ObjectNode node = Json.object();
    node.put("agent_id", agentId);
    node.put("event_hash", eventHash);
    node.put("kind", KIND_EVENT);
    node.put("seq", seq);
    return CanonicalJson.canonicalize(node);
  }

  /** Closes the log, then the store. */
  @Override
  public synchronized void close() {
    try {
      log.close();
    } finally {
      store.close();
    }
  }
}
