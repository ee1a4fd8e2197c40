package dev.handshake.audit;

import dev.handshake.audit.HandshakeException.Reason;
import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.OwnerOnlyFiles;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agents this agent completed A2A handshakes with, persisted in the reference's {@code
 * peers.json} format (aiss.md §2.5): one JSON object keyed by agent_id, entries as {@link
 * PeerEntry}, written as Python's {@code json.dumps(indent=2)}, so reference tools read our file
 * and we read theirs unchanged.
 *
 * <p>Unlike the reference's {@code register_peer}: a peer is recorded only by {@link A2aAgent}
 * after its signed message verified (there is no public way to register an arbitrary identity); an
 * agent_id stays bound to the key first recorded for it, and a different key is refused ({@link
 * Reason#PEER_KEY_CONFLICT}); {@code first_seen} is kept (the reference resets it on every
 * handshake); no {@code trust_score} is written until one was computed ({@link #recordTrust}; the
 * reference writes 1.0); the file is replaced atomically and owner-only (the reference writes it in
 * place with the default mode); an unreadable file is an error, never silently treated as empty and
 * then overwritten; and the number of entries is bounded — beyond {@code maxPeers} the least
 * recently seen peers are dropped.
 *
 * <p>One process owns the file: instances do not see each other's writes.
 *
 * <pre>{@code
 * PeerRegistry peers = PeerRegistry.open(dataDir.resolve("peers.json"), Clock.systemUTC());
 * A2aAgent agent = A2aAgent.of(handshake, chain, Optional.of(peers));
 * peers.get(peerId).ifPresent(p -> System.out.println(p.interactionCount()));
 * }</pre>
 */
public final class PeerRegistry {
  public static final int DEFAULT_MAX_PEERS = 10_000;
  /** Far above what {@link #DEFAULT_MAX_PEERS} entries need; a bigger file is not a registry. */
  private static final long MAX_FILE_BYTES = 64L << 20;

  private final Path file;
  private final int maxPeers;
  private final Clock clock;
  private Map<String, ObjectNode> entries;

  private PeerRegistry(Path file, int maxPeers, Clock clock, Map<String, ObjectNode> entries) {
    this.file = file;
    this.maxPeers = maxPeers;
    this.clock = clock;
    this.entries = entries;
  }

  /** Opens {@code file} with at most {@link #DEFAULT_MAX_PEERS} entries. */
  public static PeerRegistry open(Path file, Clock clock) throws IOException {
    return open(file, DEFAULT_MAX_PEERS, clock);
  }

  /**
   * Reads {@code file} when it exists (nothing is written until a peer is recorded).
   *
   * @throws IOException when the file cannot be read or is not a JSON object of entry objects
   */
  public static PeerRegistry open(Path file, int maxPeers, Clock clock) throws IOException {
    if (maxPeers < 1) {
      throw new IllegalArgumentException("maxPeers must be at least 1, was " + maxPeers);
    }
    return new PeerRegistry(file, maxPeers, clock, read(file));
  }

  private static Map<String, ObjectNode> read(Path file) throws IOException {
    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return entries;
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not a peer registry");
    }
    JsonNode root;
    try {
      root = CanonicalJson.parse(Files.readAllBytes(file));
    } catch (CanonicalJsonException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isObject()) {
      throw new IOException(file + " is not a JSON object of agent_id -> peer entry");
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!e.getValue().isObject()) {
        throw new IOException(file + ": entry " + e.getKey() + " is not an object");
      }
      entries.put(e.getKey(), (ObjectNode) e.getValue());
    }
    return entries;
  }

  public synchronized Optional<PeerEntry> get(String agentId) {
    ObjectNode json = entries.get(agentId);
    return json == null ? Optional.empty() : Optional.of(new PeerEntry(agentId, json));
  }

  /** Every entry, most recently seen first (the reference's {@code list_peers} order). */
  public synchronized List<PeerEntry> list() {
    List<PeerEntry> out = new ArrayList<>();
    entries.forEach((id, json) -> out.add(new PeerEntry(id, json)));
    out.sort(Comparator.comparingLong((PeerEntry p) -> p.lastSeen().orElse(0)).reversed());
    return List.copyOf(out);
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Forgets a peer (for instance to resolve a key conflict deliberately). */
  public synchronized boolean remove(String agentId) throws IOException {
    if (!entries.containsKey(agentId)) {
      return false;
    }
    Map<String, ObjectNode> next = new LinkedHashMap<>(entries);
    next.remove(agentId);
    commit(next);
    return true;
  }

  /**
   * Stores a score computed over the peer's verified chain ({@link TrustScore#verified}) as the
   * reference's {@code update_peer_trust_score} does ({@code trust_score}, {@code trust_tier},
   * {@code last_scored}), plus {@code trust_method}. Empty when the peer is unknown.
   *
   * @throws IllegalArgumentException for a presence-based score: it proves nothing (aiss.md §3 item 11)
   */
  public synchronized Optional<PeerEntry> recordTrust(TrustScore score) throws IOException {
    if (!TrustScore.VERIFIED.equals(score.method())) {
      throw new IllegalArgumentException("only a verified trust score is recorded, not " + score.method());
    }
    ObjectNode existing = entries.get(score.agentId());
    if (existing == null) {
      return Optional.empty();
    }
    ObjectNode entry = existing.deepCopy();
    entry.put("trust_score", score.score());
    entry.put("trust_tier", score.tier());
    entry.put("last_scored", now());
    entry.put("trust_method", score.method());
    Map<String, ObjectNode> next = new LinkedHashMap<>(entries);
    next.put(score.agentId(), entry);
    commit(next);
    return Optional.of(new PeerEntry(score.agentId(), entry));
  }

  /**
   * Refuses a key other than the one recorded for {@code agentId}. A consistent registry cannot
   * hold one (agent_id derives from the key), so a conflict means the file was edited or came from
   * elsewhere; the handshake is refused rather than the binding silently replaced.
   */
  synchronized void requireBinding(String agentId, Ed25519PublicKey key) throws HandshakeException {
    ObjectNode existing = entries.get(agentId);
    if (existing == null) {
      return;
    }
    String recorded = existing.path("identity").path("public_key").stringValue("");
    if (!recorded.equals(Base58.encode(key.raw()))) {
      throw new HandshakeException(
          Reason.PEER_KEY_CONFLICT,
          "peer registry " + file + " binds agent_id " + agentId + " to public_key "
              + (recorded.isEmpty() ? "(none)" : recorded) + ", not to the key that signed this handshake;"
              + " remove the entry to accept the new key");
    }
  }

  /**
   * Records a handshake with the sender of {@code verifiedMessage}, a proposal or response whose
   * signature by {@code key} has been verified.
   */
  synchronized PeerEntry register(ObjectNode verifiedMessage, Ed25519PublicKey key)
      throws HandshakeException, IOException {
    String agentId = AgentIds.aiss(key);
    requireBinding(agentId, key);
    long now = now();
    ObjectNode existing = entries.get(agentId);
    ObjectNode entry = existing == null ? Json.object() : existing.deepCopy();
    ObjectNode identity = Json.object();
    identity.put("version", verifiedMessage.path("version").stringValue(EventStamper.VERSION));
    identity.put("agent_id", agentId);
    identity.put("public_key", Base58.encode(key.raw()));
    identity.put("algorithm", IdentityDocument.ALGORITHM);
    ArrayNode caps = identity.putArray("capabilities");
    verifiedMessage.path("capabilities").forEach(c -> caps.add(c.stringValue("")));
    entry.set("identity", identity);
    JsonNode firstSeen = entry.path("first_seen");
    if (!firstSeen.isIntegralNumber()) {
      entry.put("first_seen", now);
    }
    entry.put("last_seen", now);
    JsonNode count = entry.path("interaction_count");
    entry.put("interaction_count", (count.isIntegralNumber() ? count.longValue() : 0) + 1);
    Map<String, ObjectNode> next = new LinkedHashMap<>(entries);
    next.put(agentId, entry);
    evictBeyondBound(next, agentId);
    commit(next);
    return new PeerEntry(agentId, entry);
  }

  /** Drops the least recently seen entries (never {@code keep}) until the bound holds. */
  private void evictBeyondBound(Map<String, ObjectNode> next, String keep) {
    if (next.size() <= maxPeers) {
      return;
    }
    List<String> oldestFirst =
        next.entrySet().stream()
            .filter(e -> !e.getKey().equals(keep))
            .sorted(Comparator.comparingLong(e -> lastSeen(e.getValue())))
            .map(Map.Entry::getKey)
            .toList();
    for (int i = 0; next.size() > maxPeers; i++) {
      next.remove(oldestFirst.get(i));
    }
  }

  private static long lastSeen(ObjectNode entry) {
    JsonNode t = entry.path("last_seen");
    return t.isIntegralNumber() ? t.longValue() : Long.MIN_VALUE;
  }

  /** Writes {@code next} and only then makes it current, so memory never runs ahead of the file. */
  private void commit(Map<String, ObjectNode> next) throws IOException {
    ObjectNode root = Json.object();
    next.forEach(root::set);
    OwnerOnlyFiles.writeReplacing(
        file, PythonJson.dumpsIndented(root, 2).getBytes(StandardCharsets.UTF_8));
    entries = next;
  }

  private long now() {
    return clock.millis() / 1000;
  }

  @Override
  public String toString() {
    return "PeerRegistry[" + file + ", " + size() + " peers]";
  }
}
