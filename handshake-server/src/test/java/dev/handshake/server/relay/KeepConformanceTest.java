package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.proto.Packet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * keep.md §4, items 1–28 and 34, over real TCP against {@link RelayListener}: {@code [both]}
 * items run in both profiles, {@code [ref]} and {@code [ours]} items in theirs.
 */
class KeepConformanceTest {
  static final JsonNode VECTORS = loadVectors();
  static final HexFormat HEX = HexFormat.of();
  /** How long a test waits to conclude "no reply"; a following valid packet proves order. */
  static final int QUIET_MILLIS = 300;

  static JsonNode loadVectors() {
    try (InputStream in = KeepConformanceTest.class.getResourceAsStream("/vectors/keep/packets.json")) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> vectors(String section) {
    List<JsonNode> out = new ArrayList<>();
    VECTORS.path(section).forEach(out::add);
    return out;
  }

  static JsonNode vector(String section, String name) {
    return vectors(section).stream().filter(v -> v.path("name").stringValue().equals(name)).findFirst().orElseThrow();
  }

  static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  /** Items marked [both]: every test here runs once per profile. */
  abstract static class BothProfiles {
    KeepServerFixture server;

    abstract RelayConfig.Builder profile();

    @BeforeEach
    void start() throws InterruptedException {
      server = new KeepServerFixture(profile().heartbeatInterval(Duration.ofMillis(400)).build());
    }

    @AfterEach
    void stop() {
      server.close();
    }

    Packet ask(Ed25519PrivateKey key, String src, String dst, String body) {
      return server.signed(key, src, dst, body);
    }

    /** What the Python SDK's ephemeral send does: connect, one frame, one reply, close. */
    Packet ephemeral(Packet packet) throws IOException {
      try (KeepWire wire = server.connect()) {
        return wire.send(packet).read();
      }
    }

    JsonNode discover(KeepWire wire, Ed25519PrivateKey key, String src, String query) throws IOException {
      Packet reply = wire.send(ask(key, src, "discover:" + query, "")).read();
      return Json.mapper().readTree(reply.getBody());
    }

    @Test
    @DisplayName("1, 9: an ephemeral send of \"ping\" to server returns done")
    void precheckPing() throws IOException {
      Packet reply = ephemeral(ask(KeepServerFixture.newKey(), "bot:keep-client", "server", "ping"));
      assertThat(reply.getBody()).isEqualTo("done");
    }

    @Test
    @DisplayName("2, 12: discover:info is JSON with version 0.3.0, agents_online and an integer uptime_sec >= 0")
    void discoverInfo() throws IOException {
      try (KeepWire wire = server.connect()) {
        JsonNode info = discover(wire, KeepServerFixture.newKey(), "bot:q", "info");
        assertThat(info.path("version").stringValue()).isEqualTo("0.3.0");
        assertThat(info.path("agents_online").isIntegralNumber()).isTrue();
        assertThat(info.path("agents_online").asInt()).isEqualTo(1);
        assertThat(info.path("uptime_sec").isIntegralNumber()).isTrue();
        assertThat(info.path("uptime_sec").asLong()).isNotNegative();
      }
    }

    @Test
    @DisplayName("3: discover:agents holds a list agents")
    void discoverAgents() throws IOException {
      try (KeepWire wire = server.connect()) {
        JsonNode agents = discover(wire, KeepServerFixture.newKey(), "bot:q", "agents");
        assertThat(agents.path("agents").isArray()).isTrue();
      }
    }

    @Test
    @DisplayName("4, 7: scar packets are counted in discover:stats; total_packets increases")
    void scarStatistics() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire wire = server.connect()) {
        JsonNode before = discover(wire, key, "bot:probe", "stats");
        assertThat(before.path("scar_exchanges").isObject()).isTrue();
        long total = before.path("total_packets").asLong();
        Packet scar =
            KeepPackets.sign(
                Packet.newBuilder().setId(UUID.randomUUID().toString()).setSrc("bot:kp10-scar-test").setDst("server")
                    .setBody("scar test").setTtl(60).setScar(ByteString.copyFromUtf8("test-scar-data-kp10")).build(),
                KeepServerFixture.newKey());
        assertThat(ephemeral(scar).getBody()).isEqualTo("done");
        JsonNode after = discover(wire, key, "bot:probe", "stats");
        assertThat(after.path("total_packets").asLong()).isGreaterThan(total);
        assertThat(after.path("scar_exchanges").has("bot:kp10-scar-test")).isTrue();
      }
    }

    @Test
    @DisplayName("8, 21: discover:invalid_type_xyz, discover: and discover:INFO answer error:unknown_discovery")
    void unknownDiscovery() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire wire = server.connect()) {
        for (String q : List.of("invalid_type_xyz", "", "INFO")) {
          Packet reply = wire.send(ask(key, "bot:q", "discover:" + q, "")).read();
          assertThat(reply.getBody()).as("discover:" + q).isEqualTo("error:unknown_discovery");
        }
      }
    }

    @Test
    @DisplayName("10: a raw hand-signed packet with id raw-001 gets done with the id echoed")
    void rawClientIdEcho() throws IOException {
      Packet reply = ephemeral(
          KeepPackets.sign(Packet.newBuilder().setTyp(0).setId("raw-001").setSrc("human:raw").setDst("server")
              .setBody("hello").setTtl(60).build(), KeepServerFixture.newKey()));
      assertThat(reply.getId()).isEqualTo("raw-001");
      assertThat(reply.getBody()).isEqualTo("done");
    }

    @Test
    @DisplayName("11, 19: alice receives bob's fire-and-forget forward byte for byte; bob gets no ack")
    void routingExample() throws IOException {
      Ed25519PrivateKey bobKey = KeepServerFixture.newKey();
      try (KeepWire alice = server.register(KeepServerFixture.newKey(), "bot:alice");
          KeepWire bob = server.register(bobKey, "bot:bob")) {
        Packet forward = ask(bobKey, "bot:bob", "bot:alice", "Hello Alice!");
        bob.send(forward);
        byte[] received = alice.readFrame();
        assertThat(received).isEqualTo(forward.toByteArray());
        Packet p = Packet.parseFrom(received);
        assertThat(p.getSrc()).isEqualTo("bot:bob");
        assertThat(p.getBody()).isEqualTo("Hello Alice!");
        assertThat(bob.readWithin(QUIET_MILLIS)).as("no ack for a forward").isEmpty();
      }
    }

    @Test
    @DisplayName("11: a forward from a sender that closes right after writing it is still delivered")
    void forwardThenClose() throws IOException {
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:sink-fc")) {
        Packet forward = ask(KeepServerFixture.newKey(), "bot:quick", "bot:sink-fc", "fire and forget");
        try (KeepWire quick = server.connect()) {
          quick.send(forward);
        }
        assertThat(sink.readFrame()).isEqualTo(forward.toByteArray());
      }
    }

    @Test
    @DisplayName("13: an unsigned packet gets no reply and the connection stays usable")
    void unsignedDropped() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(hex(vector("negative", "unsigned").path("frame_hex").stringValue()));
        assertThat(wire.readWithin(QUIET_MILLIS)).isEmpty();
        Packet ok = ask(KeepServerFixture.newKey(), "bot:a", "server", "after");
        assertThat(wire.send(ok).read().getId()).isEqualTo(ok.getId());
      }
    }

    @Test
    @DisplayName("14: bad signature, sig without pk, 31-byte pk, 63-byte sig and S+L are dropped; the connection still works")
    void badSignaturesDropped() throws IOException {
      Packet good = Packet.parseFrom(hex(vector("packets", "minimal_ask").path("packet_hex").stringValue()));
      List<byte[]> bad = new ArrayList<>();
      for (String name : List.of("bad_signature", "malleable_s_plus_l", "pk_31_bytes", "non_canonical_field_order")) {
        bad.add(hex(vector("negative", name).path("packet_hex").stringValue()));
      }
      bad.add(good.toBuilder().clearPk().build().toByteArray());
      bad.add(good.toBuilder().setSig(good.getSig().substring(0, 63)).build().toByteArray());
      bad.add(good.toBuilder().clearSig().build().toByteArray());
      try (KeepWire wire = server.connect()) {
        for (byte[] b : bad) {
          wire.sendPacketBytes(b);
        }
        Packet ok = ask(KeepServerFixture.newKey(), "bot:after", "server", "after");
        Packet first = wire.send(ok).read();
        assertThat(first.getId()).as("the first frame back answers the valid packet").isEqualTo(ok.getId());
      }
    }

    @Test
    @DisplayName("15: done to id p1 is exactly 18 01 22 02 70 31 2a 06 73 65 72 76 65 72 3a 04 64 6f 6e 65")
    void doneBytes() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(hex(vector("packets", "minimal_ask").path("frame_hex").stringValue()));
        byte[] reply = wire.readFrame();
        assertThat(HEX.formatHex(reply)).isEqualTo("1801220270312a067365727665723a04646f6e65");
        Packet p = Packet.parseFrom(reply);
        assertThat(p.getSig().isEmpty() && p.getPk().isEmpty()).isTrue();
      }
    }

    @Test
    @DisplayName("16: three pipelined packets get three replies in request order")
    void pipelined() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      Packet a = ask(key, "bot:p", "server", "1");
      Packet b = ask(key, "bot:p", "discover:info", "");
      Packet c = ask(key, "bot:p", "", "3");
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (Packet p : List.of(a, b, c)) {
        all.writeBytes(KeepPackets.frame(p.toByteArray()));
      }
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(all.toByteArray());
        assertThat(List.of(wire.read().getId(), wire.read().getId(), wire.read().getId()))
            .containsExactly(a.getId(), b.getId(), c.getId());
      }
    }

    @Test
    @DisplayName("16: 2,000 pipelined packets are answered in request order")
    void manyPipelined() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        Packet p = ask(key, "bot:many", i % 7 == 0 ? "discover:info" : "server", "n" + i);
        ids.add(p.getId());
        all.writeBytes(KeepPackets.frame(p.toByteArray()));
      }
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(all.toByteArray());
        List<String> replies = new ArrayList<>();
        while (replies.size() < ids.size()) {
          Packet p = wire.read();
          if (p.getTyp() != KeepPackets.TYP_HEARTBEAT) {
            replies.add(p.getId());
          }
        }
        assertThat(replies).containsExactlyElementsOf(ids);
      }
    }

    @Test
    @DisplayName("17: zero-length frame closes the connection")
    void zeroLengthCloses() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(new byte[] {0, 0, 0, 0});
        assertThat(wire.closedByServer()).isTrue();
      }
    }

    @Test
    @DisplayName("17: length 65537 closes the connection without reading the payload")
    void oversizedCloses() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(new byte[] {0, 1, 0, 1});
        assertThat(wire.closedByServer()).isTrue();
      }
    }

    @Test
    @DisplayName("17: garbage protobuf closes the connection")
    void garbageCloses() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendPacketBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
        assertThat(wire.closedByServer()).isTrue();
      }
    }

    @Test
    @DisplayName("17: invalid UTF-8 in a string field closes the connection")
    void invalidUtf8Closes() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendPacketBytes(new byte[] {0x3a, 0x02, (byte) 0xc3, 0x28});
        assertThat(wire.closedByServer()).isTrue();
      }
    }

    @Test
    @DisplayName("17: a payload of exactly 65536 bytes is accepted and answered done")
    void maxSizeAccepted() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      Packet base = ask(key, "bot:big", "server", "");
      int overhead = base.toBuilder().setBody("x").build().getSerializedSize() - 1;
      // body length prefix grows from 1 to 3 bytes for a body this large
      String body = "x".repeat(65536 - overhead - 2);
      Packet big = KeepPackets.sign(base.toBuilder().clearSig().clearPk().setBody(body).build(), key);
      assertThat(big.getSerializedSize()).isEqualTo(65536);
      try (KeepWire wire = server.connect()) {
        assertThat(wire.send(big).read().getBody()).isEqualTo("done");
      }
    }

    @Test
    @DisplayName("18: non-canonical signers: out of order, explicit typ=0, unknown field 11 and repeated id are dropped")
    void nonCanonicalSignedRegionsDropped() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      byte[] id = field(4, "n1");
      byte[] src = field(5, "bot:nc");
      byte[] dst = field(6, "server");
      byte[] body = field(7, "hi");
      List<byte[]> payloads = List.of(
          concat(body, id, src, dst),
          concat(new byte[] {0x18, 0x00}, id, src, dst, body),
          concat(id, src, dst, body, new byte[] {0x58, 0x01}),
          concat(field(4, "zz"), id, src, dst, body));
      try (KeepWire wire = server.connect()) {
        for (byte[] signedRegion : payloads) {
          wire.sendPacketBytes(concat(sigAndPk(key, signedRegion), signedRegion));
        }
        Packet ok = ask(key, "bot:nc", "server", "ok");
        assertThat(wire.send(ok).read().getId()).isEqualTo(ok.getId());
      }
    }

    @Test
    @DisplayName("18: sig and pk after the other fields, and fields appended after signing, are accepted")
    void nonCanonicalButValidAccepted() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(hex(vector("edge_accepted", "sig_pk_after_fields").path("frame_hex").stringValue()));
        assertThat(wire.read().getBody()).isEqualTo("done");
        Packet canonical = ask(key, "bot:app", "server", "x");
        wire.sendPacketBytes(concat(canonical.toByteArray(), new byte[] {0x58, 0x01, 0x18, 0x00}));
        assertThat(wire.read().getId()).isEqualTo(canonical.getId());
      }
    }

    @Test
    @DisplayName("20: a forward to an unknown name gets error:offline with the id echoed")
    void offline() throws IOException {
      try (KeepWire wire = server.connect()) {
        wire.sendRaw(hex(vector("packets", "forward_to_agent").path("frame_hex").stringValue()));
        assertThat(HEX.formatHex(wire.readFrame()))
            .isEqualTo(vector("packets", "forward_to_agent").path("expect").path("if_receiver_offline").path("packet_hex").stringValue());
      }
    }

    @Test
    @DisplayName("20: dst == src loops back to the sender")
    void loopback() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire wire = server.connect()) {
        Packet self = ask(key, "bot:self", "bot:self", "echo");
        assertThat(wire.send(self).readFrame()).isEqualTo(self.toByteArray());
      }
    }

    @Test
    @DisplayName("21: an anonymous (src=\"\") discover does not register; the querier appears in its own agents list")
    void discoveryRegistration() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire anon = server.connect(); KeepWire named = server.connect()) {
        JsonNode info = discover(anon, key, "", "info");
        assertThat(info.path("agents_online").asInt()).isZero();
        JsonNode agents = discover(named, KeepServerFixture.newKey(), "bot:me", "agents");
        assertThat(agents.path("agents")).extracting(JsonNode::stringValue).containsExactly("bot:me");
      }
    }

    @Test
    @DisplayName("22: fee = 2^64-1, ttl = 0 and any typ are accepted")
    void advisoryFieldsAccepted() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire wire = server.connect()) {
        for (int typ : new int[] {0, 1, 2, 7, -1}) {
          Packet p = KeepPackets.sign(Packet.newBuilder().setTyp(typ).setId("f" + typ).setSrc("bot:f").setDst("server")
              .setFee(-1L).setTtl(0).build(), key);
          assertThat(wire.send(p).read().getBody()).isEqualTo("done");
        }
      }
    }

    @Test
    @DisplayName("23: a heartbeat 18 02 2a 06 73 65 72 76 65 72 arrives on a registered connection, none on an unregistered one")
    void heartbeat() throws IOException {
      try (KeepWire registered = server.register(KeepServerFixture.newKey(), "bot:hb");
          KeepWire silent = server.connect()) {
        byte[] beat = registered.readFrame();
        assertThat(HEX.formatHex(beat)).isEqualTo("18022a06736572766572");
        assertThat(silent.readWithin(900)).isEmpty();
      }
    }

    @Test
    @DisplayName("34: every vector packet gets its expected outcome (reply bytes, discovery keys, forward, drop)")
    void vectorsOverTcp() throws IOException {
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:vec-b");
          KeepWire wire = server.connect()) {
        for (JsonNode v : vectors("packets")) {
          wire.sendRaw(hex(v.path("frame_hex").stringValue()));
          JsonNode expect = v.path("expect");
          switch (expect.path("kind").stringValue()) {
            case "reply" -> assertThat(HEX.formatHex(wire.readFrame())).as(v.path("name").stringValue())
                .isEqualTo(expect.path("reply_packet_hex").stringValue());
            case "discovery_reply" -> {
              Packet reply = wire.read();
              assertThat(reply.getTyp()).isEqualTo(1);
              assertThat(reply.getSrc()).isEqualTo("server");
              assertThat(reply.getId()).isEqualTo(v.path("fields").path("id").stringValue());
              JsonNode body = Json.mapper().readTree(reply.getBody());
              assertThat(body.propertyNames()).contains("agents_online", "uptime_sec", "version");
            }
            case "forward" -> {
              assertThat(HEX.formatHex(sink.readFrame())).isEqualTo(v.path("packet_hex").stringValue());
              assertThat(wire.readWithin(QUIET_MILLIS)).isEmpty();
            }
            default -> throw new AssertionError("unknown kind in " + v);
          }
        }
        for (JsonNode v : vectors("negative")) {
          wire.sendRaw(hex(v.path("frame_hex").stringValue()));
        }
        Packet probe = ask(KeepServerFixture.newKey(), "", "server", "probe");
        assertThat(wire.send(probe).read().getId()).as("drops are silent and keep the connection").isEqualTo(probe.getId());
      }
    }

    static byte[] field(int number, String value) {
      byte[] v = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return concat(new byte[] {(byte) (number << 3 | 2), (byte) v.length}, v);
    }

    static byte[] sigAndPk(Ed25519PrivateKey key, byte[] signedRegion) {
      return concat(new byte[] {0x0a, 0x40}, key.sign(signedRegion), new byte[] {0x12, 0x20}, key.publicKey().raw());
    }

    static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return out.toByteArray();
    }
  }

  @Nested
  @DisplayName("default profile")
  class Default extends BothProfiles {
    @Override
    RelayConfig.Builder profile() {
      return RelayConfig.builder();
    }

    @Test
    @DisplayName("25 [ours]: replay to server gets done twice; a replayed forward is delivered once")
    void replay() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:sink"); KeepWire wire = server.connect()) {
        Packet ping = ask(key, "bot:r", "server", "ping");
        assertThat(wire.send(ping).read().getBody()).isEqualTo("done");
        assertThat(wire.send(ping).read().getBody()).isEqualTo("done");
        Packet forward = ask(key, "bot:r", "bot:sink", "once");
        wire.send(forward).send(forward);
        assertThat(sink.readFrame()).isEqualTo(forward.toByteArray());
        assertThat(sink.readWithin(QUIET_MILLIS)).isEmpty();
      }
    }

    @Test
    @DisplayName("25 [ours]: a replay from another connection does not register the src")
    void replayDoesNotRegister() throws IOException {
      Packet captured = ask(KeepServerFixture.newKey(), "bot:victim", "server", "hello");
      try (KeepWire victim = server.connect()) {
        victim.send(captured).read();
      }
      try (KeepWire attacker = server.connect(); KeepWire probe = server.connect()) {
        assertThat(attacker.send(captured).read().getBody()).isEqualTo("done");
        JsonNode agents = discover(probe, KeepServerFixture.newKey(), "", "agents");
        assertThat(agents.path("agents")).extracting(JsonNode::stringValue).doesNotContain("bot:victim");
      }
    }

    @Test
    @DisplayName("26 [ours]: a second key using a live src keeps getting done, its forwards get error:identity_conflict")
    void identityConflict() throws IOException {
      try (KeepWire first = server.register(KeepServerFixture.newKey(), "bot:shared");
          KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:sink2");
          KeepWire second = server.connect()) {
        Ed25519PrivateKey other = KeepServerFixture.newKey();
        assertThat(second.send(ask(other, "bot:shared", "server", "x")).read().getBody()).isEqualTo("done");
        assertThat(second.send(ask(other, "bot:shared", "bot:sink2", "x")).read().getBody())
            .isEqualTo("error:identity_conflict");
        assertThat(first.send(ask(KeepServerFixture.newKey(), "", "server", "still here")).read().getBody())
            .as("the first connection stays open").isEqualTo("done");
        assertThat(sink.readWithin(QUIET_MILLIS)).isEmpty();
      }
    }

    @Test
    @DisplayName("27 [ours]: after changing src and disconnecting, a forward to the first src gets error:offline")
    void aliasesRemoved() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire c = server.connect()) {
        c.send(ask(key, "bot:first", "server", "")).read();
        c.send(ask(key, "bot:second", "server", "")).read();
      }
      try (KeepWire s = server.connect()) {
        Ed25519PrivateKey k2 = KeepServerFixture.newKey();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.listener().engine().stats().agentsOnline() == 0);
        assertThat(s.send(ask(k2, "bot:s", "bot:first", "x")).read().getBody()).isEqualTo("error:offline");
        assertThat(discover(s, k2, "bot:s", "info").path("agents_online").asInt()).isEqualTo(1);
      }
    }

    @Test
    @DisplayName("28 [ours]: an unknown field appended after signing is stripped and the packet still verifies")
    void unknownFieldStripped() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:u"); KeepWire s = server.connect()) {
        Packet canonical = ask(key, "bot:su", "bot:u", "x");
        s.sendPacketBytes(concat(canonical.toByteArray(), new byte[] {0x5a, 0x01, 0x41}));
        assertThat(sink.readFrame()).isEqualTo(canonical.toByteArray());
      }
    }
  }

  @Nested
  @DisplayName("default profile, verifying on the I/O threads (verifyThreads 0)")
  class InlineVerification extends BothProfiles {
    @Override
    RelayConfig.Builder profile() {
      return RelayConfig.builder().verifyThreads(0);
    }
  }

  @Nested
  @DisplayName("reference profile")
  class Reference extends BothProfiles {
    @Override
    RelayConfig.Builder profile() {
      return RelayConfig.builder().referenceProfile();
    }

    @Test
    @DisplayName("25 [ref]: replay to server gets done twice; a replayed forward is delivered twice")
    void replay() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:sink"); KeepWire wire = server.connect()) {
        Packet ping = ask(key, "bot:r", "server", "ping");
        assertThat(wire.send(ping).read().getBody()).isEqualTo("done");
        assertThat(wire.send(ping).read().getBody()).isEqualTo("done");
        Packet forward = ask(key, "bot:r", "bot:sink", "twice");
        wire.send(forward).send(forward);
        assertThat(sink.readFrame()).isEqualTo(forward.toByteArray());
        assertThat(sink.readFrame()).isEqualTo(forward.toByteArray());
      }
    }

    @Test
    @DisplayName("26 [ref]: a second key with the same src takes over; the first connection is closed")
    void hijack() throws IOException {
      try (KeepWire first = server.register(KeepServerFixture.newKey(), "bot:shared");
          KeepWire second = server.register(KeepServerFixture.newKey(), "bot:shared");
          KeepWire s = server.connect()) {
        assertThat(first.closedByServer()).isTrue();
        Packet f = ask(KeepServerFixture.newKey(), "bot:s", "bot:shared", "to second");
        s.send(f);
        assertThat(second.readFrame()).isEqualTo(f.toByteArray());
      }
    }

    @Test
    @DisplayName("27 [ref]: after changing src and disconnecting, a forward to the first src gets error:delivery_failed")
    void staleAlias() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire c = server.connect()) {
        c.send(ask(key, "bot:first", "server", "")).read();
        c.send(ask(key, "bot:second", "server", "")).read();
      }
      try (KeepWire s = server.connect()) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> server.listener().engine().stats().connections() == 1);
        assertThat(s.send(ask(KeepServerFixture.newKey(), "bot:s", "bot:first", "x")).read().getBody())
            .isEqualTo("error:delivery_failed");
      }
    }

    @Test
    @DisplayName("28 [ref]: an unknown field appended after signing is forwarded")
    void unknownFieldForwarded() throws IOException {
      Ed25519PrivateKey key = KeepServerFixture.newKey();
      try (KeepWire sink = server.register(KeepServerFixture.newKey(), "bot:u"); KeepWire s = server.connect()) {
        Packet canonical = ask(key, "bot:su", "bot:u", "x");
        byte[] withExtra = concat(canonical.toByteArray(), new byte[] {0x5a, 0x01, 0x41});
        s.sendPacketBytes(withExtra);
        assertThat(sink.readFrame()).isEqualTo(withExtra);
      }
    }
  }
}
