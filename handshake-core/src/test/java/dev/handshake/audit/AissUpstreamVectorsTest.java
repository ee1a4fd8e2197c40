package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's own five test-vector files (aiss.md §4 items 1, 2, 5, 6, 7), copied from
 * PiQrypt's {@code test_vectors/} to test resources {@code vectors/aiss/upstream/}. Their events
 * were signed with keys the reference never published, so they check hashes, linkage, forks and
 * replays — not signatures.
 */
class AissUpstreamVectorsTest {
  private static final ChainVerifier OURS = new ChainVerifier(VerifyOptions.ours());

  private static List<JsonNode> tests(String file) {
    List<JsonNode> out = new ArrayList<>();
    AissVectors.read("/vectors/aiss/upstream/" + file).path("tests").forEach(out::add);
    assertThat(out).isNotEmpty();
    return out;
  }

  private static AuditEvent event(JsonNode json) {
    return AuditEvent.of((ObjectNode) json.deepCopy());
  }

  @Test
  void item01_theFiveUpstreamCanonicalVectorsReproduceInBothCanonicalizers() {
    List<JsonNode> cases = tests("canonical.json");
    assertThat(cases).hasSize(5);
    for (JsonNode c : cases) {
      String expected = c.path("expected_canonical").stringValue();
      assertThat(CanonicalJson.canonicalString(c.path("input"))).as(c.path("name").stringValue())
          .isEqualTo(expected);
      assertThat(PythonJson.canonicalString(c.path("input"))).isEqualTo(expected);
      assertThat(Sha256.hex(expected.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(c.path("expected_sha256").stringValue());
    }
  }

  @Test
  void item01_keysAreOrderedAndThereIsNoWhitespace() {
    String canonical = CanonicalJson.canonicalString(
        CanonicalJson.parse("{ \"z\" : 1,\n\t\"a\" : 2, \"m\" : [ 3 , { \"y\": \"v\", \"b\": null } ] }"));
    assertThat(canonical).isEqualTo("{\"a\":2,\"m\":[3,{\"b\":null,\"y\":\"v\"}],\"z\":1}");
    assertThat(canonical).doesNotContain(" ", "\n", "\t");
  }

  @Test
  void item02_theThreeUpstreamAgentIdVectorsReproduceWith32Characters() {
    List<JsonNode> cases = tests("identity.json");
    assertThat(cases).hasSize(3);
    for (JsonNode c : cases) {
      Ed25519PublicKey key =
          Ed25519PublicKey.of(HexFormat.of().parseHex(c.path("public_key_hex").stringValue()));
      String id = AgentIds.aiss(key);
      assertThat(id).as(c.path("name").stringValue())
          .isEqualTo(c.path("expected_agent_id").stringValue())
          .hasSize(AgentIds.AISS_LENGTH);
      assertThat(AgentIds.isAissIdOf(id, key)).isTrue();
    }
  }

  @Test
  void item05_theThreeUpstreamEventHashesMatchAndTheEventsLink() {
    List<JsonNode> cases = tests("events.json");
    assertThat(cases).hasSize(3);
    String previous = null;
    for (JsonNode c : cases) {
      AuditEvent e = event(c.path("event"));
      for (String field :
          List.of("version", "agent_id", "timestamp", "nonce", "payload", "previous_hash",
              "signature")) {
        assertThat(e.json().has(field)).as(c.path("name").stringValue() + " has " + field).isTrue();
      }
      assertThat(e.hash()).isEqualTo(c.path("expected_hash").stringValue());
      if (previous != null) {
        assertThat(e.previousHash()).contains(previous);
      }
      previous = e.hash();
    }
  }

  @Test
  void item06_theUpstreamForkVectorGivesOneForkAtTheExpectedHashWithTwoBranches() {
    for (JsonNode c : tests("fork.json")) {
      List<AuditEvent> events = new ArrayList<>();
      events.add(event(c.path("genesis")));
      c.path("fork_events").forEach(e -> events.add(event(e)));
      String forkAt = c.path("expected_fork_at").stringValue();
      assertThat(events.get(0).hash()).isEqualTo(forkAt);

      ChainReport report = OURS.verifyAgents(events, Set.of(), Set.of());
      assertThat(report.forksDetected()).containsExactly(forkAt);
      assertThat(report.valid()).isFalse();
      assertThat(ForkBranches.branches(events, forkAt))
          .hasSize(c.path("expected_branches").asInt());
      // Both branches are one event long and carry no timestamps tokens: the rule falls through
      // to the lowest final hash, so every verifier picks the same one.
      List<AuditEvent> canonical = ForkBranches.canonical(events, forkAt).orElseThrow();
      assertThat(canonical).hasSize(1);
      assertThat(canonical.get(0).hash())
          .isEqualTo(events.subList(1, 3).stream().map(AuditEvent::hash).sorted().findFirst()
              .orElseThrow());
    }
  }

  @Test
  void item07_theUpstreamReplayVectorsAreDetectedAndTheCleanOneIsNot() {
    for (JsonNode c : tests("replay.json")) {
      List<AuditEvent> events = new ArrayList<>();
      c.path("events").forEach(e -> events.add(event(e)));
      ChainReport report = OURS.verifyAgents(events, Set.of(), Set.of());
      if (c.path("expected_replay").asBoolean()) {
        assertThat(report.replayAttacks()).as(c.path("name").stringValue())
            .containsExactly(c.path("replay_nonce").stringValue());
      } else {
        assertThat(report.replayAttacks()).as(c.path("name").stringValue()).isEmpty();
      }
    }
  }
}
