package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.handshake.audit.HandshakeException.Reason;
import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 item 8 (peer registry entry) and the registry's hardening over the reference's. */
class PeerRegistryTest {
  private static final long T = 1767225700;
  private static final Ed25519PrivateKey OWNER = seeded(7);
  private static final Ed25519PrivateKey D = seeded(9);

  @TempDir Path dir;

  private static Ed25519PrivateKey seeded(int value) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) value);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  private static Clock at(long seconds) {
    return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  private Path file() {
    return dir.resolve("peers.json");
  }

  /** {@code owner} answers a fresh proposal from {@code peer} at {@code now}, recording into {@code peers}. */
  private static A2aAgent.Responded handshake(
      Ed25519PrivateKey owner, Ed25519PrivateKey peer, long now, PeerRegistry peers)
      throws Exception {
    ObjectNode proposal =
        new A2aHandshake(peer, at(now)).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    AgentChain chain = AgentChain.open(owner, new InMemoryAuditStore(), at(now));
    return A2aAgent.of(new A2aHandshake(owner, at(now)), chain, Optional.of(peers))
        .respond(proposal, List.of("stamp"));
  }

  private static final String A_ID = AissVectors.agentId("A");
  private static final String A_B58 = Base58.encode(AissVectors.key("A").publicKey().raw());

  /** A peers.json as the reference writes it: json.dumps(registry, indent=2), no final newline. */
  private static String referenceFile(String publicKey) {
    return """
        {
          "%s": {
            "identity": {
              "version": "AISS-1.0",
              "agent_id": "%s",
              "public_key": "%s",
              "algorithm": "Ed25519",
              "capabilities": [
                "stamp",
                "verify",
                "a2a"
              ]
            },
            "first_seen": 1767000000,
            "last_seen": 1767100000,
            "interaction_count": 3,
            "trust_score": 1.0,
            "trust_tier": "Elite",
            "last_scored": 1767100001
          }
        }"""
        .formatted(A_ID, A_ID, publicKey);
  }

  @Test
  @DisplayName("item 8: a verified handshake records the reference's entry fields")
  void item08_registeredEntryHasTheReferenceFields() throws Exception {
    PeerRegistry peers = PeerRegistry.open(file(), at(T));

    handshake(OWNER, AissVectors.key("A"), T, peers);

    ObjectNode stored = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(file())).path(A_ID);
    assertThat(stored.propertyNames())
        .containsExactly("identity", "first_seen", "last_seen", "interaction_count");
    ObjectNode identity = (ObjectNode) stored.path("identity");
    assertThat(identity.propertyNames())
        .containsExactly("version", "agent_id", "public_key", "algorithm", "capabilities");
    assertThat(identity.path("agent_id").stringValue()).isEqualTo(A_ID);
    assertThat(identity.path("public_key").stringValue()).isEqualTo(A_B58);
    assertThat(identity.path("algorithm").stringValue()).isEqualTo("Ed25519");
    assertThat(identity.path("capabilities").toString()).isEqualTo("[\"stamp\",\"verify\",\"a2a\"]");
    PeerEntry entry = peers.get(A_ID).orElseThrow();
    assertThat(entry.firstSeen()).hasValue(T);
    assertThat(entry.lastSeen()).hasValue(T);
    assertThat(entry.interactionCount()).isEqualTo(1);
    assertThat(entry.trustScore()).as("no score is claimed before one is computed").isEmpty();
    assertThat(entry.bound()).isTrue();
  }

  @Test
  void aLaterHandshakeKeepsFirstSeenAndCountsAndSurvivesReopening() throws Exception {
    handshake(OWNER, AissVectors.key("A"), T, PeerRegistry.open(file(), at(T)));

    handshake(OWNER, AissVectors.key("A"), T + 100, PeerRegistry.open(file(), at(T + 100)));

    PeerEntry updated = PeerRegistry.open(file(), at(T + 200)).get(A_ID).orElseThrow();

    assertThat(updated.firstSeen()).as("the reference resets first_seen; we keep it").hasValue(T);
    assertThat(updated.lastSeen()).hasValue(T + 100);
    assertThat(updated.interactionCount()).isEqualTo(2);
  }

  @Test
  void theFileIsOwnerOnlyAndNoTemporaryFileRemains() throws Exception {
    assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");

    handshake(OWNER, AissVectors.key("A"), T, PeerRegistry.open(file(), at(T)));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("peers.json");
    }
  }

  @Test
  void readsAReferencePeersFileAndRewritesItInTheReferenceLayout() throws Exception {
    String reference = referenceFile(A_B58);
    Files.writeString(file(), reference);

    PeerRegistry peers = PeerRegistry.open(file(), at(T));
    PeerEntry read = peers.get(A_ID).orElseThrow();
    assertThat(read.publicKey()).contains(AissVectors.key("A").publicKey());
    assertThat(read.interactionCount()).isEqualTo(3);
    assertThat(read.trustScore()).hasValue(1.0);
    assertThat(read.trustTier()).contains("Elite");
    assertThat(read.bound()).isTrue();
    assertThat(Files.readString(file())).as("opening never writes").isEqualTo(reference);

    handshake(OWNER, AissVectors.key("A"), T, peers);

    // What the reference's json.dumps(indent=2) gives for the updated entry, first_seen kept.
    String expected =
        reference
            .replace("\"last_seen\": 1767100000", "\"last_seen\": " + T)
            .replace("\"interaction_count\": 3", "\"interaction_count\": 4");
    assertThat(Files.readString(file(), StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void aDifferentKeyForARegisteredAgentIdIsRefused() throws Exception {
    // The reference's register_peer stores whatever identity it is given: here A's id with B's key.
    String conflicting = referenceFile(Base58.encode(AissVectors.key("B").publicKey().raw()));
    Files.writeString(file(), conflicting);
    PeerRegistry peers = PeerRegistry.open(file(), at(T));
    assertThat(peers.get(A_ID).orElseThrow().bound()).isFalse();

    assertThatThrownBy(() -> handshake(OWNER, AissVectors.key("A"), T, peers))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.PEER_KEY_CONFLICT);
              assertThat(e.getMessage()).contains(A_ID).contains("remove the entry");
            });
    assertThat(Files.readString(file())).isEqualTo(conflicting);
    assertThat(peers.get(A_ID).orElseThrow().interactionCount()).isEqualTo(3);
  }

  @Test
  void aRemovedConflictingEntryLetsTheRealKeyRegister() throws Exception {
    Files.writeString(file(), referenceFile(Base58.encode(AissVectors.key("B").publicKey().raw())));
    PeerRegistry peers = PeerRegistry.open(file(), at(T));

    assertThat(peers.remove(A_ID)).isTrue();
    handshake(OWNER, AissVectors.key("A"), T, peers);

    assertThat(peers.get(A_ID).orElseThrow().publicKeyText()).isEqualTo(A_B58);
  }

  @Test
  void theRegistryKeepsAtMostMaxPeersDroppingTheLeastRecentlySeen() throws Exception {
    handshake(OWNER, AissVectors.key("A"), T, PeerRegistry.open(file(), 2, at(T)));
    handshake(OWNER, AissVectors.key("B"), T + 10, PeerRegistry.open(file(), 2, at(T + 10)));
    handshake(OWNER, AissVectors.key("A"), T + 20, PeerRegistry.open(file(), 2, at(T + 20)));

    handshake(OWNER, D, T + 30, PeerRegistry.open(file(), 2, at(T + 30)));

    PeerRegistry reopened = PeerRegistry.open(file(), 2, at(T + 40));
    assertThat(reopened.size()).isEqualTo(2);
    assertThat(reopened.list())
        .extracting(PeerEntry::agentId)
        .as("most recently seen first; B (last seen T+10) was dropped")
        .containsExactly(AgentIds.aiss(D.publicKey()), A_ID);
  }

  @Test
  void anUnreadableFileIsAnErrorAndIsLeftAlone() throws Exception {
    Files.writeString(file(), "{\"x\": [1, 2");

    assertThatThrownBy(() -> PeerRegistry.open(file(), at(T)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file().toString());
    assertThat(Files.readString(file())).isEqualTo("{\"x\": [1, 2");
  }

  @Test
  void aVerifiedTrustScoreIsStoredAsTheReferenceDoesAndAPresenceBasedOneIsRefused()
      throws Exception {
    PeerRegistry peers = PeerRegistry.open(file(), at(T));
    handshake(OWNER, AissVectors.key("A"), T, peers);
    AgentChain chainOfA = AgentChain.open(AissVectors.key("A"), new InMemoryAuditStore(), at(T));
    ObjectNode payload = Json.object().put("event_type", "order");
    chainOfA.append(payload);
    List<AuditEvent> events = chainOfA.events();
    TrustScore presence = TrustScore.presenceBased(A_ID, events);
    assertThatThrownBy(() -> peers.recordTrust(presence)).isInstanceOf(IllegalArgumentException.class);

    ChainReport report =
        new ChainVerifier(VerifyOptions.ours())
            .verify(events, chainOfA.identity(T, Optional.empty()), Optional.empty());
    TrustScore verified = TrustScore.verified(A_ID, events, report);
    PeerEntry scored = peers.recordTrust(verified).orElseThrow();

    assertThat(scored.trustScore()).hasValue(verified.score());
    assertThat(scored.trustTier()).contains(verified.tier());
    assertThat(scored.toJson().path("last_scored").longValue()).isEqualTo(T);
    assertThat(scored.toJson().path("trust_method").stringValue()).isEqualTo("verified");
    assertThat(PeerRegistry.open(file(), at(T)).get(A_ID)).contains(scored);
  }
}
