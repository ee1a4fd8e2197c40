package dev.handshake.audit.tsa;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.EventStamper;
import dev.handshake.audit.ForkBranches;
import dev.handshake.audit.GenesisForm;
import dev.handshake.audit.SignatureEncoding;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anchoring never touches a signed event (aiss.md §4 item 26), and canonical-branch selection
 * counts an event as TSA-anchored only when its token verifies (aiss.md §4 item 6).
 */
class TimestampAnchoringTest {
  private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate(new SecureRandom());
  private static final String AGENT = AgentIds.aiss(KEY.publicKey());

  private static TestPki pki;
  private static LocalTsa tsa;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.generate("Anchor");
    tsa = LocalTsa.start(pki);
  }

  @AfterAll
  static void stop() {
    tsa.close();
  }

  private static TsaClient client() {
    return TsaClient.create(TsaConfig.of(tsa.url()), pki.trust(), Clock.systemUTC(), new SecureRandom());
  }

  @Test
  void item26_stampingAndAnchoringLeaveTheSignedEventBytesUnchanged() throws Exception {
    AuditEvent event;
    byte[] before;
    try (SqliteAuditStore audit = SqliteAuditStore.open(dir)) {
      AgentChain chain = AgentChain.open(KEY, audit, Clock.systemUTC());
      chain.append(Json.object().put("event_type", "first"));
      event = chain.append(Json.object().put("event_type", "order").put("qty", 2));
      before = Json.bytes(event.json());
    }

    TimestampVerification result;
    try (TsaClient client = client(); TimestampStore sidecar = SqliteTimestampStore.open(dir)) {
      result = client.timestamp(event);
      assertThat(result.verified()).as("local TSA: %s", result).isTrue();
      sidecar.add(((TimestampVerification.Verified) result).timestamp());
    }

    try (SqliteAuditStore audit = SqliteAuditStore.open(dir);
        TimestampStore sidecar = SqliteTimestampStore.open(dir)) {
      AuditEvent stored = audit.events(AGENT).getLast();
      assertThat(Json.bytes(stored.json())).isEqualTo(before);
      assertThat(stored.hash()).isEqualTo(event.hash());
      assertThat(stored.json().has("trusted_timestamp")).isFalse();
      assertThat(
              new ChainVerifier(VerifyOptions.ours())
                  .verify(audit.events(AGENT),
                      AgentChain.open(KEY, audit, Clock.systemUTC()).identity(0, Optional.empty()),
                      Optional.empty())
                  .valid())
          .isTrue();
      List<TrustedTimestamp> tokens = sidecar.forEvent(event.hash());
      assertThat(tokens).hasSize(1);
      assertThat(TimestampVerifier.of(pki.trust()).verifyStored(tokens.getFirst()).verified()).isTrue();
    }
  }

  private static AuditEvent child(AuditEvent parent, String nonce, long ts) {
    return EventStamper.stamp(
        KEY, AGENT, Json.object().put("event_type", "branch"), parent.hash(), ts, nonce,
        SignatureEncoding.BASE64);
  }

  /** Genesis, then two branches from it: a short one (s-1) and a longer one (l-1, l-2). */
  private static List<AuditEvent> forked() {
    AuditEvent root =
        EventStamper.stamp(
            KEY, AGENT, Json.object().put("event_type", "root"), GenesisForm.genesisHash(KEY.publicKey()),
            1767225600, "root", SignatureEncoding.BASE64);
    AuditEvent shortTip = child(root, "s-1", 1767225610);
    AuditEvent long1 = child(root, "l-1", 1767225610);
    AuditEvent long2 = child(long1, "l-2", 1767225620);
    return new ArrayList<>(List.of(root, shortTip, long1, long2));
  }

  private static List<String> nonces(Optional<List<AuditEvent>> branch) {
    return branch.orElseThrow().stream().map(AuditEvent::nonce).toList();
  }

  @Test
  void item06_aBranchWithAVerifiedSidecarTokenIsCanonicalOverALongerOne() {
    List<AuditEvent> events = forked();
    TimestampStore sidecar = new InMemoryTimestampStore();
    try (TsaClient client = client()) {
      TimestampVerification v = client.timestamp(events.get(1));
      sidecar.add(((TimestampVerification.Verified) v).timestamp());
    }
    String forkPoint = events.getFirst().hash();
    assertThat(nonces(ForkBranches.canonical(events, forkPoint, TimestampAnchors.of(sidecar, pki.trust()))))
        .containsExactly("s-1");
    assertThat(nonces(ForkBranches.canonical(events, forkPoint)))
        .as("the reference rule sees no rfc3161_token, so the longer branch wins")
        .containsExactly("l-1", "l-2");
  }

  @Test
  void item06_aSidecarTokenThatDoesNotVerifyAnchorsNothing() {
    List<AuditEvent> events = forked();
    TimestampStore sidecar = new InMemoryTimestampStore();
    try (TsaClient client = client()) {
      TimestampVerification v = client.timestamp(events.get(1));
      sidecar.add(((TimestampVerification.Verified) v).timestamp());
    }
    String forkPoint = events.getFirst().hash();
    TimestampAnchors untrusted = TimestampAnchors.of(sidecar, TestPki.generate("Nobody").trust());
    assertThat(nonces(ForkBranches.canonical(events, forkPoint, untrusted))).containsExactly("l-1", "l-2");
  }

  @Test
  void item06_aVerifiedReferenceTokenAnchorsButAMerePresentOneDoesNot() throws Exception {
    List<AuditEvent> events = forked();
    String forkPoint = events.getFirst().hash();
    TimestampAnchors anchors = TimestampAnchors.of(new InMemoryTimestampStore(), pki.trust());

    ObjectNode fake = events.get(1).json();
    fake.putObject("trusted_timestamp").put("rfc3161_token", "base64:MIIB").put("timestamp", 1767225611);
    List<AuditEvent> withFake = new ArrayList<>(events);
    withFake.set(1, AuditEvent.of(fake));
    assertThat(nonces(ForkBranches.canonical(withFake, forkPoint, anchors))).containsExactly("l-1", "l-2");

    ObjectNode real = events.get(1).json();
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    byte[] response =
        tsa.respond(g.generate(TSPAlgorithms.SHA256, Sha256.digest(PythonJson.canonicalize(real))))
            .getEncoded();
    real.putObject("trusted_timestamp")
        .put("token", "base64:" + Base64Text.encode(response))
        .put("status", "granted");
    List<AuditEvent> withReal = new ArrayList<>(events);
    withReal.set(1, AuditEvent.of(real));
    assertThat(nonces(ForkBranches.canonical(withReal, forkPoint, anchors))).containsExactly("s-1");
  }

  @Test
  void item06_betweenEquallyAnchoredBranchesTheEarlierGenTimeWinsOverLength() {
    List<AuditEvent> events = forked();
    TimestampStore sidecar = new InMemoryTimestampStore();
    try (TsaClient client = client()) {
      tsa.shiftClock(Duration.ofMinutes(-2));
      sidecar.add(((TimestampVerification.Verified) client.timestamp(events.get(1))).timestamp());
      tsa.shiftClock(Duration.ZERO);
      sidecar.add(((TimestampVerification.Verified) client.timestamp(events.get(3))).timestamp());
    } finally {
      tsa.shiftClock(Duration.ZERO);
    }
    String forkPoint = events.getFirst().hash();
    assertThat(nonces(ForkBranches.canonical(events, forkPoint, TimestampAnchors.of(sidecar, pki.trust()))))
        .containsExactly("s-1");
  }
}
