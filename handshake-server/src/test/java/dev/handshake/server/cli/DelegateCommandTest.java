package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.delegation.CapabilityDerivation;
import dev.handshake.delegation.CapabilityGrant;
import dev.handshake.delegation.CapabilityTokens;
import dev.handshake.delegation.DelegationCapability;
import dev.handshake.delegation.HandoffTime;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.Permissions;
import dev.handshake.delegation.Reasons;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.delegation.TaskPacketBuilder;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code handshake delegate sign|verify|inspect} run in-process (docs/DELEGATION.md, CLI). */
class DelegateCommandTest {
  private static final String PASSPHRASE = "delegate test passphrase";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(
          Map.of("HS_PASS", PASSPHRASE)::get, SecretPrompt.none(), CLOCK, new SecureRandom());
  private static final String B = HandoffVectors.agentId("B");

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.execute(ENVIRONMENT, args);
  }

  private Path newKey() {
    return CliRun.newKey(ENVIRONMENT, dir.resolve("alice.key"));
  }

  private Path signed() {
    Path out = dir.resolve("packet.json");
    CliRun r =
        run(
            "delegate",
            "sign",
            "--key",
            newKey().toString(),
            "--to",
            B,
            "--intent",
            "Research company background",
            "--actions",
            "read,search",
            "--max-tool-calls",
            "3",
            "--context",
            "{\"z\":1,\"a\":{\"y\":\"é\",\"b\":[true,null]}}",
            "--expires-in",
            "15m",
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            Integer.toString(KeyProtection.MIN_N));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("signed pk_").contains(" -> " + B);
    return out;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private Path vector(String prefix) throws IOException {
    String json =
        prefix.equals("S1")
            ? HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue()
            : HandoffVectors.negativeCase(prefix).path("packet_json").stringValue();
    return write(prefix + ".json", json);
  }

  @Test
  void item03_aSignedPacketVerifiesExitZeroAndPrintsTheDecision() throws Exception {
    Path packet = signed();
    JsonNode wire = HandoffVectors.wire(Files.readString(packet));
    assertThat(wire.path("context").propertyNames()).as("context sorted").containsExactly("a", "z");
    assertThat(wire.path("expires_at").stringValue()).isEqualTo("2026-06-01T12:15:00Z");

    CliRun assumed = run("delegate", "verify", packet.toString());
    assertThat(assumed.exit()).as(assumed.err()).isZero();
    assertThat(assumed.out()).startsWith("ACCEPT  " + Reasons.ACCEPTED);
    assertThat(assumed.err()).contains("assuming the receiver is the packet's to_agent " + B);

    CliRun json = run("delegate", "verify", "--receiver", B, "--json", packet.toString());
    assertThat(json.exit()).isZero();
    assertThat(json.err()).isEmpty();
    JsonNode decision = Json.tryParse(json.out().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(decision.path("decision").stringValue()).isEqualTo("ACCEPT");
    assertThat(decision.path("packet_id").stringValue())
        .isEqualTo(wire.path("packet_id").stringValue());

    CliRun again = run("delegate", "verify", "--receiver", B, packet.toString());
    assertThat(again.exit()).as("no replay memory between runs").isZero();
  }

  @Test
  void item31_anotherReceiverIsAnAudienceMismatchExitOne() {
    CliRun r =
        run("delegate", "verify", "--receiver", HandoffVectors.agentId("C"), signed().toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("REJECT  " + Reasons.AUDIENCE_MISMATCH);
  }

  @Test
  void item21_aTamperedFileIsInvalidSignatureExitOne() throws Exception {
    Path packet = signed();
    Files.writeString(packet, Files.readString(packet).replace("Research", "Delete"));
    CliRun r = run("delegate", "verify", packet.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("REJECT  " + Reasons.INVALID_SIGNATURE);
    assertThat(run("delegate", "inspect", packet.toString()).out())
        .contains("signature:      INVALID");
  }

  @Test
  void malformedFilesAreUnusableExitTwo() throws Exception {
    for (Path bad :
        List.of(
            write("not-json.json", "packet?"),
            write("partial.json", "{\"packet_id\":\"x\"}"),
            write("array.json", "[]"),
            dir.resolve("missing.json"))) {
      CliRun verify = run("delegate", "verify", bad.toString());
      assertThat(verify.exit()).as(bad.toString()).isEqualTo(2);
      assertThat(verify.err()).startsWith("delegate verify: ");
      assertThat(run("delegate", "inspect", bad.toString()).exit()).as(bad.toString()).isEqualTo(2);
    }
  }

  @Test
  void item25_n07IsAcceptedByTheReferenceProfileOnlyAndItem24_S1ExceedsOurLifetimeCap()
      throws Exception {
    Path n07 = vector("N07");
    CliRun ours = run("delegate", "verify", n07.toString());
    assertThat(ours.exit()).isEqualTo(1);
    assertThat(ours.out()).startsWith("REJECT  " + Reasons.INVALID_SIGNATURE);
    CliRun reference = run("delegate", "verify", "--profile", "reference", n07.toString());
    assertThat(reference.exit()).as(reference.err()).isZero();
    assertThat(reference.out()).startsWith("ACCEPT  " + Reasons.ACCEPTED);
    assertThat(run("delegate", "inspect", n07.toString()).out())
        .contains("signature:      valid only for the reference");

    CliRun s1 = run("delegate", "verify", vector("S1").toString());
    assertThat(s1.out())
        .as("valid to 2099: above the 24h default cap")
        .startsWith("REJECT  " + Reasons.LIFETIME_EXCEEDED);
    CliRun expired = run("delegate", "verify", "--reason-style", "0.2.3", vector("N04").toString());
    assertThat(expired.out()).startsWith("REJECT  " + Reasons.VALIDATION_FAILED);
  }

  private Path capabilityPacket() throws IOException {
    Ed25519PrivateKey a = HandoffVectors.key("A");
    DelegationCapability root =
        CapabilityDerivation.root(
            HandoffVectors.agentId("A"),
            CapabilityGrant.of(
                "cap-cli",
                B,
                Permissions.of(List.of("read"), 2),
                HandoffTime.utc(NOW.minusSeconds(60)),
                HandoffTime.utc(NOW.plus(Duration.ofHours(1)))),
            a);
    SignedTaskPacket p =
        TaskPacketBuilder.from(a)
            .to(B)
            .intent("read it")
            .actions(List.of("read"))
            .maxToolCalls(1)
            .capabilityToken(CapabilityTokens.encode(root))
            .sign(CLOCK);
    return write("cap.json", p.toWire());
  }

  @Test
  void capabilitiesNeedATrustAnchorAndTheRegistryBindsKeys() throws Exception {
    Path packet = capabilityPacket();
    String anchor = HandoffVectors.agentId("A");
    assertThat(run("delegate", "verify", packet.toString()).out())
        .startsWith("REJECT  " + Reasons.INVALID_CHAIN);
    CliRun anchored = run("delegate", "verify", "--trust-anchor", anchor, packet.toString());
    assertThat(anchored.exit()).as(anchored.out()).isZero();

    ObjectNode wrong = Json.object();
    wrong.put(anchor, HandoffVectors.pem("X"));
    Path registry = write("registry.json", Json.text(wrong));
    CliRun bound =
        run(
            "delegate",
            "verify",
            "--trust-anchor",
            anchor,
            "--registry",
            registry.toString(),
            packet.toString());
    assertThat(bound.exit()).isEqualTo(1);
    assertThat(bound.out()).startsWith("REJECT  " + Reasons.BINDING_FAILED);

    CliRun badRegistry =
        run(
            "delegate",
            "verify",
            "--registry",
            write("bad.json", "{\"a\":\"not a pem\"}").toString(),
            packet.toString());
    assertThat(badRegistry.exit()).isEqualTo(2);
    assertThat(badRegistry.err()).contains("not an Ed25519 public-key PEM");

    CliRun inspect = run("delegate", "inspect", "--json", packet.toString());
    assertThat(inspect.exit()).isZero();
    JsonNode report = Json.tryParse(inspect.out().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(report.path("capability").path("decoded").path("capability_id").stringValue())
        .isEqualTo("cap-cli");
    assertThat(report.path("capability").path("signature_valid").booleanValue()).isTrue();
    assertThat(report.path("signature").path("valid").booleanValue()).isTrue();
    assertThat(report.path("identity").path("from_agent_is_derived_id").booleanValue()).isTrue();
    assertThat(report.path("time_window").path("status").stringValue())
        .isEqualTo("valid for 10m more");
  }

  @Test
  void inspectPrintsFieldsBindingAndWindow() {
    CliRun r = run("delegate", "inspect", signed().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("to_agent:       " + B)
        .contains("intent:         \"Research company background\"")
        .contains(
            "permissions:    {\"allowed_actions\":[\"read\",\"search\"],\"max_tool_calls\":3}")
        .contains("signature:      valid (Ed25519)")
        .contains("identity:       from_agent is the id derived from public_key")
        .contains("time window:    valid for 15m more")
        .contains("capability:     none");
  }

  @Test
  void signRefusesBadInputBeforeReadingTheKey() {
    Path missingKey = dir.resolve("no.key");
    for (String[] extra :
        List.of(
            new String[] {"--context", "{\"price\":1.5}"},
            new String[] {"--context", "[1]"},
            new String[] {"--expires-in", "soon"},
            new String[] {"--max-tool-calls", "-1"})) {
      String[] args =
          new String[] {
            "delegate",
            "sign",
            "--key",
            missingKey.toString(),
            "--to",
            B,
            "--intent",
            "x",
            "--out",
            dir.resolve("o.json").toString(),
            extra[0],
            extra[1]
          };
      CliRun r = run(args);
      assertThat(r.exit()).as(String.join(" ", extra)).isEqualTo(2);
      assertThat(r.err())
          .as(String.join(" ", extra))
          .startsWith("delegate sign: ")
          .doesNotContain("no such file");
    }
    assertThat(dir.resolve("o.json")).doesNotExist();
  }
}
