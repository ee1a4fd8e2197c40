package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.relay.proto.Packet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The relay engine without a network: identity modes, replay cache, aliases, discovery. */
class RelayEngineTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AtomicInteger ports = new AtomicInteger(40000);
  private final AtomicInteger ids = new AtomicInteger();

  private RelayEngine engine(RelayConfig config) {
    return new RelayEngine(config, Clock.systemUTC());
  }

  private record Conn(RelayConnection connection, RecordingPeer peer) {}

  private Conn connect(RelayEngine engine) {
    RecordingPeer peer = new RecordingPeer("127.0.0.1", ports.incrementAndGet());
    return new Conn(engine.open(peer).orElseThrow(), peer);
  }

  private Packet signed(Ed25519PrivateKey key, String src, String dst, String body) {
    return KeepPackets.sign(
        Packet.newBuilder().setId("m" + ids.incrementAndGet()).setSrc(src).setDst(dst).setBody(body).build(),
        key);
  }

  private static Ed25519PrivateKey key() {
    return Ed25519PrivateKey.generate(RANDOM);
  }

  @Nested
  @DisplayName("identity modes (keep.md §3 item 1)")
  class Identity {
    @Test
    @DisplayName("26 [ours]: bound-live refuses a second key's forwards with error:identity_conflict but answers its server packets")
    void boundLiveRefusesOtherKey() {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn owner = connect(e);
      Conn other = connect(e);
      Conn sink = connect(e);
      Ed25519PrivateKey ownerKey = key();
      Ed25519PrivateKey otherKey = key();
      owner.connection().receive(signed(ownerKey, "bot:a", "server", "hi").toByteArray());
      sink.connection().receive(signed(key(), "bot:sink", "server", "hi").toByteArray());

      assertThat(other.connection().receive(signed(otherKey, "bot:a", "server", "x").toByteArray()))
          .isEqualTo(FrameOutcome.ANSWERED);
      assertThat(other.peer().bodies()).containsExactly("done");
      other.connection().receive(signed(otherKey, "bot:a", "bot:sink", "x").toByteArray());

      assertThat(other.peer().bodies()).containsExactly("done", KeepPackets.ERROR_IDENTITY_CONFLICT);
      assertThat(owner.peer().closed).as("the holder keeps its connection").isFalse();
      assertThat(sink.peer().bodies()).as("nothing was forwarded").containsExactly("done");
    }

    @Test
    @DisplayName("bound-live: the same key reconnecting takes its name over and the old connection is closed")
    void boundLiveSameKeyReconnects() {
      RelayEngine e = engine(RelayConfig.defaults());
      Ed25519PrivateKey k = key();
      Conn first = connect(e);
      Conn second = connect(e);
      first.connection().receive(signed(k, "bot:a", "server", "1").toByteArray());
      second.connection().receive(signed(k, "bot:a", "server", "2").toByteArray());
      assertThat(first.peer().closed).isTrue();
      Conn sender = connect(e);
      sender.connection().receive(signed(key(), "bot:s", "bot:a", "to a").toByteArray());
      assertThat(second.peer().bodies()).containsExactly("done", "to a");
    }

    @Test
    @DisplayName("26 [ref]: legacy mode lets a second key take the name over and closes the first connection")
    void legacyHijack() {
      RelayEngine e = engine(RelayConfig.referenceProfile());
      Conn victim = connect(e);
      Conn hijacker = connect(e);
      victim.connection().receive(signed(key(), "bot:a", "server", "1").toByteArray());
      hijacker.connection().receive(signed(key(), "bot:a", "server", "2").toByteArray());
      assertThat(victim.peer().closed).isTrue();
      victim.connection().closed();
      Conn sender = connect(e);
      sender.connection().receive(signed(key(), "bot:s", "bot:a", "to a").toByteArray());
      assertThat(hijacker.peer().bodies()).containsExactly("done", "to a");
    }

    @Test
    @DisplayName("pinned: the first key keeps the name even while its holder is offline")
    void pinnedSurvivesDisconnect() {
      RelayEngine e = engine(RelayConfig.builder().identityMode(IdentityMode.PINNED).build());
      Ed25519PrivateKey owner = key();
      Conn first = connect(e);
      first.connection().receive(signed(owner, "bot:a", "server", "1").toByteArray());
      first.connection().closed();
      Conn intruder = connect(e);
      Conn sink = connect(e);
      sink.connection().receive(signed(key(), "bot:sink", "server", "1").toByteArray());
      intruder.connection().receive(signed(key(), "bot:a", "bot:sink", "x").toByteArray());
      assertThat(intruder.peer().bodies()).containsExactly(KeepPackets.ERROR_IDENTITY_CONFLICT);
      Conn back = connect(e);
      back.connection().receive(signed(owner, "bot:a", "bot:sink", "y").toByteArray());
      assertThat(sink.peer().bodies()).containsExactly("done", "y");
    }

    @Test
    @DisplayName("a connection may register at most maxNamesPerConnection names")
    void namesPerConnectionBounded() {
      RelayEngine e = engine(RelayConfig.builder().maxNamesPerConnection(2).build());
      Conn c = connect(e);
      Ed25519PrivateKey k = key();
      c.connection().receive(signed(k, "bot:1", "server", "").toByteArray());
      c.connection().receive(signed(k, "bot:2", "server", "").toByteArray());
      c.connection().receive(signed(k, "bot:3", "bot:1", "").toByteArray());
      assertThat(c.peer().bodies()).containsExactly("done", "done", KeepPackets.ERROR_TOO_MANY_IDENTITIES);
      assertThat(c.connection().names()).containsExactly("bot:1", "bot:2");
    }
  }

  @Nested
  @DisplayName("aliases and failed targets (keep.md §3 item 11)")
  class Aliases {
    @Test
    @DisplayName("27 [ours]: every name of a closed connection is removed; forwards get error:offline")
    void allAliasesRemoved() {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn c = connect(e);
      Ed25519PrivateKey k = key();
      c.connection().receive(signed(k, "bot:a", "server", "").toByteArray());
      c.connection().receive(signed(k, "bot:b", "server", "").toByteArray());
      c.connection().closed();
      Conn s = connect(e);
      s.connection().receive(signed(key(), "bot:s", "bot:a", "x").toByteArray());
      assertThat(s.peer().bodies()).containsExactly(KeepPackets.ERROR_OFFLINE);
      assertThat(e.stats().agentsOnline()).isEqualTo(1);
    }

    @Test
    @DisplayName("27 [ref]: only the last name is removed; the stale alias gets error:delivery_failed")
    void staleAliasInReference() {
      RelayEngine e = engine(RelayConfig.referenceProfile());
      Conn c = connect(e);
      Ed25519PrivateKey k = key();
      c.connection().receive(signed(k, "bot:a", "server", "").toByteArray());
      c.connection().receive(signed(k, "bot:b", "server", "").toByteArray());
      c.peer().closed = true;
      c.connection().closed();
      Conn s = connect(e);
      s.connection().receive(signed(key(), "bot:s", "bot:a", "x").toByteArray());
      assertThat(s.peer().bodies()).containsExactly(KeepPackets.ERROR_DELIVERY_FAILED);
      assertThat(e.stats().agentsOnline()).as("bot:a stays, plus bot:s").isEqualTo(2);
    }

    @Test
    @DisplayName("a target whose queue refuses a forward is closed and unregistered (ours)")
    void failedTargetUnregistered() {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn target = connect(e);
      target.connection().receive(signed(key(), "bot:t", "server", "").toByteArray());
      target.peer().refuseWrites = true;
      Conn s = connect(e);
      Ed25519PrivateKey k = key();
      s.connection().receive(signed(k, "bot:s", "bot:t", "1").toByteArray());
      s.connection().receive(signed(k, "bot:s", "bot:t", "2").toByteArray());
      assertThat(s.peer().bodies()).containsExactly(KeepPackets.ERROR_DELIVERY_FAILED, KeepPackets.ERROR_OFFLINE);
      assertThat(target.peer().closed).isTrue();
    }
  }

  @Nested
  @DisplayName("replay cache (keep.md §3 item 2)")
  class Replay {
    @Test
    @DisplayName("25 [ours]: a replayed forward is delivered once; a replayed server packet still gets done")
    void replayedForwardDeliveredOnce() {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn sink = connect(e);
      sink.connection().receive(signed(key(), "bot:sink", "server", "").toByteArray());
      Conn s = connect(e);
      Ed25519PrivateKey k = key();
      byte[] forward = signed(k, "bot:s", "bot:sink", "once").toByteArray();
      byte[] ask = signed(k, "bot:s", "server", "ask").toByteArray();
      assertThat(s.connection().receive(forward)).isEqualTo(FrameOutcome.FORWARDED);
      assertThat(s.connection().receive(forward)).isEqualTo(FrameOutcome.DROPPED_REPLAY);
      s.connection().receive(ask);
      s.connection().receive(ask);
      assertThat(sink.peer().bodies()).containsExactly("done", "once");
      assertThat(s.peer().bodies()).containsExactly("done", "done");
      assertThat(e.stats().totalPackets()).as("replays are not counted").isEqualTo(3);
    }

    @Test
    @DisplayName("25 [ours]: a replay from another connection does not register the src")
    void replayDoesNotRegister() {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn victim = connect(e);
      byte[] captured = signed(key(), "bot:v", "server", "").toByteArray();
      victim.connection().receive(captured);
      victim.connection().closed();
      Conn attacker = connect(e);
      attacker.connection().receive(captured);
      assertThat(attacker.peer().bodies()).containsExactly("done");
      assertThat(attacker.connection().names()).isEmpty();
      assertThat(e.stats().agentsOnline()).isZero();
    }

    @Test
    @DisplayName("25 [ref]: without a replay window a replayed forward is delivered twice")
    void referenceDeliversTwice() {
      RelayEngine e = engine(RelayConfig.referenceProfile());
      Conn sink = connect(e);
      sink.connection().receive(signed(key(), "bot:sink", "server", "").toByteArray());
      Conn s = connect(e);
      byte[] forward = signed(key(), "bot:s", "bot:sink", "twice").toByteArray();
      s.connection().receive(forward);
      s.connection().receive(forward);
      assertThat(sink.peer().bodies()).containsExactly("done", "twice", "twice");
    }

    @Test
    @DisplayName("the replay cache holds at most replayCapacity entries")
    void capacityBounded() {
      RelayEngine e = engine(RelayConfig.builder().replayCapacity(10).build());
      Conn s = connect(e);
      Ed25519PrivateKey k = key();
      for (int i = 0; i < 50; i++) {
        s.connection().receive(signed(k, "bot:s", "server", "n" + i).toByteArray());
      }
      assertThat(e.stats().replayEntries()).isLessThanOrEqualTo(10);
    }
  }

  @Nested
  @DisplayName("forwarding and discovery")
  class Forwarding {
    @Test
    @DisplayName("28 [ours]: unknown fields appended after signing are stripped and the packet still verifies")
    void unknownFieldsStripped() throws Exception {
      RelayEngine e = engine(RelayConfig.defaults());
      Conn sink = connect(e);
      sink.connection().receive(signed(key(), "bot:sink", "server", "").toByteArray());
      Packet withExtra =
          signed(key(), "bot:s", "bot:sink", "x").toBuilder()
              .setUnknownFields(
                  UnknownFieldSet.newBuilder()
                      .addField(11, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("evil")).build())
                      .build())
              .build();
      Conn s = connect(e);
      s.connection().receive(withExtra.toByteArray());
      Packet received = sink.peer().packets().get(1);
      assertThat(received.getUnknownFields().asMap()).isEmpty();
      assertThat(new InboundPacket(received).verify(null)).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    @DisplayName("28 [ref]: unknown fields are forwarded when preserveUnknownFields is on")
    void unknownFieldsPreserved() {
      RelayEngine e = engine(RelayConfig.referenceProfile());
      Conn sink = connect(e);
      sink.connection().receive(signed(key(), "bot:sink", "server", "").toByteArray());
      Packet withExtra =
          signed(key(), "bot:s", "bot:sink", "x").toBuilder()
              .setUnknownFields(
                  UnknownFieldSet.newBuilder()
                      .addField(11, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                      .build())
              .build();
      Conn s = connect(e);
      s.connection().receive(withExtra.toByteArray());
      assertThat(sink.peer().sent.get(1)).isEqualTo(withExtra.toByteArray());
    }

    @Test
    @DisplayName("8: discovery exposure self shows only the querier's names; off answers error:unknown_discovery")
    void discoveryExposure() {
      RelayEngine e =
          engine(RelayConfig.builder().discoveryAgents(DiscoveryExposure.SELF).discoveryStats(DiscoveryExposure.OFF).build());
      Conn other = connect(e);
      other.connection().receive(signed(key(), "bot:other", "server", "").toByteArray());
      Conn q = connect(e);
      Ed25519PrivateKey k = key();
      q.connection().receive(signed(k, "bot:q", "discover:agents", "").toByteArray());
      q.connection().receive(signed(k, "bot:q", "discover:stats", "").toByteArray());
      assertThat(q.peer().bodies()).containsExactly("{\"agents\":[\"bot:q\"]}", KeepPackets.ERROR_UNKNOWN_DISCOVERY);
    }

    @Test
    @DisplayName("discover:agents lists at most discoveryAgentsLimit names, the querier's first; agents_online counts all")
    void discoveryAgentsLimit() {
      RelayEngine e = engine(RelayConfig.builder().discoveryAgentsLimit(2).build());
      for (String name : new String[] {"bot:a", "bot:b", "bot:c"}) {
        connect(e).connection().receive(signed(key(), name, "server", "").toByteArray());
      }
      Conn q = connect(e);
      Ed25519PrivateKey k = key();
      q.connection().receive(signed(k, "bot:z", "discover:agents", "").toByteArray());
      q.connection().receive(signed(k, "bot:z", "discover:info", "").toByteArray());
      JsonNode agents = Json.mapper().readTree(q.peer().bodies().get(0)).path("agents");
      assertThat(agents.size()).isEqualTo(2);
      assertThat(agents.get(1).asString()).as("the querier is listed").isEqualTo("bot:z");
      assertThat(Json.mapper().readTree(q.peer().bodies().get(1)).path("agents_online").asLong()).isEqualTo(4);
    }

    @Test
    @DisplayName("6: scar statistics count at most 1,000 distinct senders; known ones keep counting")
    void scarCap() {
      RelayEngine e = engine(RelayConfig.builder().maxNamesPerConnection(2000).build());
      Conn c = connect(e);
      Ed25519PrivateKey k = key();
      for (int i = 0; i < 1005; i++) {
        Packet p = Packet.newBuilder().setId("s" + i).setSrc("bot:" + i).setDst("server").setScar(ByteString.copyFromUtf8("x")).build();
        c.connection().receive(KeepPackets.sign(p, k).toByteArray());
      }
      Packet again = Packet.newBuilder().setId("again").setSrc("bot:0").setDst("server").setScar(ByteString.copyFromUtf8("x")).build();
      c.connection().receive(KeepPackets.sign(again, k).toByteArray());
      c.peer().clear();
      c.connection().receive(signed(k, "bot:0", "discover:stats", "").toByteArray());
      JsonNode stats = Json.mapper().readTree(c.peer().bodies().get(0));
      assertThat(stats.path("scar_exchanges").size()).isEqualTo(RelayConfig.MAX_SCAR_ENTRIES);
      assertThat(stats.path("scar_exchanges").path("bot:0").asLong()).isEqualTo(2);
      assertThat(stats.path("scar_exchanges").has("bot:1004")).isFalse();
    }

    @Test
    @DisplayName("signed replies: with a server key, replies and heartbeats verify and info publishes server_pk")
    void signedReplies() {
      Ed25519PrivateKey serverKey = key();
      RelayEngine e =
          new RelayEngine(RelayConfig.builder().signReplies(true).build(), Clock.systemUTC(), serverKey, new InMemoryPinStore());
      Conn c = connect(e);
      c.connection().receive(signed(key(), "bot:c", "discover:info", "").toByteArray());
      e.heartbeat();
      for (Packet p : c.peer().packets()) {
        assertThat(new InboundPacket(p).verify(null)).isEqualTo(SignatureCheck.VALID);
        assertThat(p.getPk().toByteArray()).isEqualTo(serverKey.publicKey().raw());
      }
      JsonNode info = Json.mapper().readTree(c.peer().packets().get(0).getBody());
      assertThat(info.path("server_pk").stringValue()).isEqualTo(serverKey.publicKey().base64());
    }

    @Test
    @DisplayName("23: heartbeats go once per connection (ours) or once per name (reference), never to unregistered connections")
    void heartbeatFanOut() {
      for (boolean reference : new boolean[] {false, true}) {
        RelayEngine e = engine(reference ? RelayConfig.referenceProfile() : RelayConfig.defaults());
        Conn two = connect(e);
        Conn silent = connect(e);
        Ed25519PrivateKey k = key();
        two.connection().receive(signed(k, "bot:x", "server", "").toByteArray());
        two.connection().receive(signed(k, "bot:y", "server", "").toByteArray());
        two.peer().clear();
        e.heartbeat();
        assertThat(two.peer().packets()).hasSize(reference ? 2 : 1).allMatch(p -> p.getTyp() == 2);
        assertThat(silent.peer().sent).isEmpty();
      }
    }

    @Test
    @DisplayName("connection limits: total and per address; released on close")
    void connectionLimits() {
      RelayEngine e = engine(RelayConfig.builder().maxConnections(3).maxConnectionsPerAddress(2).build());
      RelayConnection a1 = e.open(new RecordingPeer("10.0.0.1", 1)).orElseThrow();
      e.open(new RecordingPeer("10.0.0.1", 2)).orElseThrow();
      assertThat(e.open(new RecordingPeer("10.0.0.1", 3))).isEmpty();
      e.open(new RecordingPeer("10.0.0.2", 1)).orElseThrow();
      assertThat(e.open(new RecordingPeer("10.0.0.3", 1))).isEmpty();
      a1.closed();
      assertThat(e.open(new RecordingPeer("10.0.0.1", 4))).isPresent();
      assertThat(e.stats().refusedConnections()).isEqualTo(2);
    }

    @Test
    @DisplayName("frame rate: a burst over the per-connection rate is dropped silently")
    void frameRateLimit() {
      RelayEngine e = engine(RelayConfig.builder().connectionFramesPerSecond(10).build());
      Conn c = connect(e);
      Ed25519PrivateKey k = key();
      int limited = 0;
      for (int i = 0; i < 30; i++) {
        if (c.connection().receive(signed(k, "bot:c", "server", "" + i).toByteArray()) == FrameOutcome.DROPPED_RATE_LIMITED) {
          limited++;
        }
      }
      assertThat(limited).isGreaterThanOrEqualTo(15);
      assertThat(c.peer().sent.size()).isEqualTo(30 - limited);
    }
  }

  @Test
  @DisplayName("replay window config: zero turns the cache off")
  void zeroWindowIsOff() {
    RelayEngine e = engine(RelayConfig.builder().replayWindow(Duration.ZERO).build());
    assertThat(e.stats().replayEntries()).isZero();
    assertThat(RelayConfig.referenceProfile().replayWindow()).isZero();
    assertThat(RelayConfig.defaults().replayWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(RelayConfig.defaults().identityMode()).isEqualTo(IdentityMode.BOUND_LIVE);
    assertThat(RelayConfig.referenceProfile().identityMode()).isEqualTo(IdentityMode.LEGACY);
  }
}
