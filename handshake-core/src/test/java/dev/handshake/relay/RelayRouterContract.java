package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.RelayRouter.Claim;
import dev.handshake.relay.RelayRouter.Route;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RelayRouter} must do; extended once per implementation. Each test builds the
 * nodes of one fresh deployment with {@link #newNode}; a {@link TestNode} stands for the engine
 * (what it was sent, what it was told it lost, what it holds).
 *
 * <p>Deliveries may be asynchronous, so they are awaited. Where the absence of a delivery is
 * asserted, a later packet that must arrive after it is awaited first.
 */
abstract class RelayRouterContract {
  static final Duration DELIVERY = Duration.ofSeconds(10);
  static final SecureRandom RANDOM = new SecureRandom();

  private final List<RelayRouter> opened = new ArrayList<>();

  /** A node of this test's deployment (the same deployment for every call within one test). */
  protected abstract RelayRouter newNode(String nodeId);

  /** The implementation's lease time, as configured for these tests. */
  protected abstract Duration leaseTime();

  /** Lets {@code time} pass for the directory (a test clock, or real time for a server). */
  protected abstract void elapse(Duration time) throws Exception;

  @AfterEach
  void closeNodes() {
    opened.forEach(RelayRouter::close);
  }

  /** The engine's side of one node, recorded. */
  protected static final class TestNode implements RelayRouter.Node {
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    final Map<String, Ed25519PublicKey> held = new ConcurrentHashMap<>();

    @Override
    public void deliver(String identity, byte[] packetBytes) {
      delivered.add(identity + "=" + HexFormat.of().formatHex(packetBytes));
    }

    @Override
    public void lost(String identity) {
      lost.add(identity);
      held.remove(identity);
    }

    @Override
    public Map<String, Ed25519PublicKey> held() {
      return Map.copyOf(held);
    }

    void awaitDelivered(String identity, byte[] packetBytes) {
      String expected = identity + "=" + HexFormat.of().formatHex(packetBytes);
      await().atMost(DELIVERY).untilAsserted(() -> assertThat(delivered).contains(expected));
    }
  }

  protected record Joined(RelayRouter router, TestNode node) {
    Claim claim(String identity, Ed25519PublicKey key) {
      return claim(identity, key, false);
    }

    Claim claim(String identity, Ed25519PublicKey key, boolean takeOver) {
      Claim claim = router.claim(identity, key, takeOver);
      if (claim == Claim.HELD) {
        node.held.put(identity, key);
      }
      return claim;
    }
  }

  protected Joined join(String nodeId) {
    RelayRouter router = newNode(nodeId);
    opened.add(router);
    TestNode node = new TestNode();
    router.attach(node);
    return new Joined(router, node);
  }

  static Ed25519PublicKey key() {
    return Ed25519PrivateKey.generate(RANDOM).publicKey();
  }

  static byte[] packet(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPacketForAnIdentityClaimedOnAnotherNodeReachesThatNode() {
    Joined a = join("a");
    Joined b = join("b");
    assertThat(b.claim("bot:bob", key())).isEqualTo(Claim.HELD);

    assertThat(a.router().send("bot:bob", packet("hello"))).isEqualTo(Route.SENT);

    b.node().awaitDelivered("bot:bob", packet("hello"));
    assertThat(a.node().delivered).as("nothing comes back to the sender's node").isEmpty();
  }

  @Test
  void aPacketForAnIdentityNoNodeHoldsIsOffline() {
    Joined a = join("a");
    join("b");

    assertThat(a.router().send("bot:nobody", packet("x"))).isEqualTo(Route.OFFLINE);
    assertThat(a.router().locate("bot:nobody")).isEmpty();
  }

  @Test
  void identityAndPacketBytesArriveExactlyAsSent() {
    Joined a = join("a");
    Joined b = join("b");
    String identity = "bot:ünï\u0000cøde:\n\"x\"";
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    b.claim(identity, key());

    assertThat(a.router().send(identity, bytes)).isEqualTo(Route.SENT);

    b.node().awaitDelivered(identity, bytes);
    assertThat(b.node().delivered).hasSize(1);
  }

  @Test
  void aPacketOfTheLargestFrameSizeIsCarried() {
    Joined a = join("a");
    Joined b = join("b");
    b.claim("bot:bob", key());
    byte[] largest = new byte[KeepPackets.MAX_PACKET_SIZE];
    RANDOM.nextBytes(largest);

    assertThat(a.router().send("bot:bob", largest)).isEqualTo(Route.SENT);

    b.node().awaitDelivered("bot:bob", largest);
  }

  @Test
  void packetsFromOneNodeToAnotherArriveInSendingOrder() {
    Joined a = join("a");
    Joined b = join("b");
    b.claim("bot:bob", key());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] p = packet("n" + i);
      sent.add("bot:bob=" + HexFormat.of().formatHex(p));
      assertThat(a.router().send("bot:bob", p)).isEqualTo(Route.SENT);
    }

    await().atMost(DELIVERY).until(() -> b.node().delivered.size() >= sent.size());
    assertThat(b.node().delivered).containsExactlyElementsOf(sent);
  }

  @Test
  void aNodeSendingToAnIdentityItHoldsReceivesThePacketItself() {
    Joined a = join("a");
    a.claim("bot:self", key());

    assertThat(a.router().send("bot:self", packet("loop"))).isEqualTo(Route.SENT);

    a.node().awaitDelivered("bot:self", packet("loop"));
  }

  @Test
  void locateNamesTheNodeHoldingTheIdentity() {
    Joined a = join("a");
    Joined b = join("b");
    b.claim("bot:bob", key());

    assertThat(a.router().locate("bot:bob")).contains("b");
    assertThat(a.router().nodeId()).isEqualTo("a");
  }

  @Test
  void claimingAgainOnTheSameNodeWithTheSameKeyStaysHeld() {
    Joined a = join("a");
    Ed25519PublicKey k = key();

    assertThat(a.claim("bot:a", k)).isEqualTo(Claim.HELD);
    assertThat(a.claim("bot:a", k)).isEqualTo(Claim.HELD);
    assertThat(a.router().locate("bot:a")).contains("a");
  }

  @Test
  void anotherKeyCannotClaimAnIdentityALiveNodeHolds() {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    assertThat(b.claim("bot:alice", key())).isEqualTo(Claim.CONFLICT);
    assertThat(a.claim("bot:alice", key()))
        .as("not even on the holding node")
        .isEqualTo(Claim.CONFLICT);

    assertThat(b.router().locate("bot:alice")).contains("a");
    assertThat(a.node().lost).isEmpty();
  }

  @Test
  void theSameKeyClaimingFromAnotherNodeMovesTheIdentityAndTheOldNodeIsToldItLostIt() {
    Joined a = join("a");
    Joined b = join("b");
    Joined c = join("c");
    Ed25519PublicKey k = key();
    a.claim("bot:alice", k);

    assertThat(b.claim("bot:alice", k)).isEqualTo(Claim.HELD);

    await()
        .atMost(DELIVERY)
        .untilAsserted(() -> assertThat(a.node().lost).containsExactly("bot:alice"));
    assertThat(c.router().locate("bot:alice")).contains("b");
    c.router().send("bot:alice", packet("to the new node"));
    b.node().awaitDelivered("bot:alice", packet("to the new node"));
    assertThat(a.node().delivered).isEmpty();
  }

  @Test
  void takeOverMovesAnIdentityWhateverItsKey() {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    assertThat(b.claim("bot:alice", key(), true)).isEqualTo(Claim.HELD);

    await()
        .atMost(DELIVERY)
        .untilAsserted(() -> assertThat(a.node().lost).containsExactly("bot:alice"));
    assertThat(a.router().locate("bot:alice")).contains("b");
  }

  @Test
  void aReleasedIdentityIsOfflineAndFreeForAnyKey() {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    a.router().release("bot:alice");

    assertThat(b.router().send("bot:alice", packet("x"))).isEqualTo(Route.OFFLINE);
    assertThat(b.claim("bot:alice", key())).isEqualTo(Claim.HELD);
  }

  @Test
  void releasingAnIdentityAnotherNodeHoldsChangesNothing() {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    b.router().release("bot:alice");
    // a claim after the release: if it answers, the release was applied before it
    assertThat(b.claim("bot:other", key())).isEqualTo(Claim.HELD);

    assertThat(b.router().locate("bot:alice")).contains("a");
  }

  @Test
  void theIdentitiesOfANodeThatStopsRenewingVanish() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    elapse(leaseTime().plus(leaseTime().dividedBy(5)));

    assertThat(b.router().locate("bot:alice")).isEmpty();
    assertThat(b.router().send("bot:alice", packet("x"))).isEqualTo(Route.OFFLINE);
    assertThat(b.claim("bot:alice", key()))
        .as("a lapsed name is free for another key")
        .isEqualTo(Claim.HELD);
  }

  @Test
  void renewingKeepsIdentitiesPastTheirFirstLease() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    elapse(leaseTime().multipliedBy(6).dividedBy(10));
    a.router().renew();
    elapse(leaseTime().multipliedBy(6).dividedBy(10));

    assertThat(b.router().locate("bot:alice")).contains("a");
  }

  @Test
  void renewingReclaimsWhatTheDirectoryLostAndRoutingResumes() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    b.claim("bot:bob", key());
    elapse(leaseTime().plus(leaseTime().dividedBy(5)));
    assertThat(a.router().send("bot:bob", packet("lost"))).isEqualTo(Route.OFFLINE);

    b.router().renew();

    assertThat(a.router().send("bot:bob", packet("back"))).isEqualTo(Route.SENT);
    b.node().awaitDelivered("bot:bob", packet("back"));
  }

  @Test
  void renewingReportsAnIdentityAnotherNodeTookMeanwhileAsLost() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());
    elapse(leaseTime().plus(leaseTime().dividedBy(5)));
    b.claim("bot:alice", key());

    a.router().renew();

    await()
        .atMost(DELIVERY)
        .untilAsserted(() -> assertThat(a.node().lost).containsExactly("bot:alice"));
    assertThat(a.router().locate("bot:alice")).as("the new holder keeps it").contains("b");
  }

  @Test
  void theIdentitiesOfAClosedNodeAreOffline() {
    Joined a = join("a");
    Joined b = join("b");
    b.claim("bot:bob", key());

    b.router().close();

    assertThat(a.router().send("bot:bob", packet("x"))).isEqualTo(Route.OFFLINE);
    assertThat(a.router().locate("bot:bob")).isEmpty();
  }

  @Test
  void agentsCountsAndListsTheIdentitiesOfEveryNode() {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());
    b.claim("bot:bob", key());
    b.claim("bot:carol", key());

    RelayRouter.Agents agents = a.router().agents(10).orElseThrow();

    assertThat(agents.online()).isEqualTo(3);
    assertThat(agents.names()).containsExactlyInAnyOrder("bot:alice", "bot:bob", "bot:carol");
    assertThat(b.router().agents(10).orElseThrow().names())
        .as("the same from every node")
        .containsExactlyInAnyOrder("bot:alice", "bot:bob", "bot:carol");
  }

  @Test
  void agentsListsAtMostTheLimitButCountsEveryIdentity() {
    Joined a = join("a");
    Joined b = join("b");
    List<String> claimed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Joined holder = i % 2 == 0 ? a : b;
      holder.claim("bot:n" + i, key());
      claimed.add("bot:n" + i);
    }

    RelayRouter.Agents two = a.router().agents(2).orElseThrow();
    RelayRouter.Agents none = a.router().agents(0).orElseThrow();

    assertThat(two.online()).isEqualTo(5);
    assertThat(two.names()).hasSize(2).doesNotHaveDuplicates().isSubsetOf(claimed);
    assertThat(none.online()).isEqualTo(5);
    assertThat(none.names()).isEmpty();
    assertThatThrownBy(() -> a.router().agents(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agentsCountsAnIdentityThatMovedBetweenNodesOnce() {
    Joined a = join("a");
    Joined b = join("b");
    Ed25519PublicKey k = key();
    a.claim("bot:alice", k);

    b.claim("bot:alice", k);

    RelayRouter.Agents agents = a.router().agents(10).orElseThrow();
    assertThat(agents.online()).isEqualTo(1);
    assertThat(agents.names()).containsExactly("bot:alice");
  }

  @Test
  void agentsLeavesOutReleasedIdentitiesAndThoseOfClosedNodes() {
    Joined a = join("a");
    Joined b = join("b");
    Joined c = join("c");
    a.claim("bot:alice", key());
    a.claim("bot:gone", key());
    b.claim("bot:bob", key());

    a.router().release("bot:gone");
    b.router().close();
    // a claim after the release: if it answers, the release was applied before it
    a.claim("bot:after", key());

    RelayRouter.Agents agents = c.router().agents(10).orElseThrow();
    assertThat(agents.names()).containsExactlyInAnyOrder("bot:alice", "bot:after");
    assertThat(agents.online()).isEqualTo(2);
  }

  @Test
  void agentsLeavesOutTheIdentitiesOfANodeThatStoppedRenewing() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());
    elapse(leaseTime().plus(leaseTime().dividedBy(5)));
    b.claim("bot:bob", key());

    RelayRouter.Agents agents = b.router().agents(10).orElseThrow();

    assertThat(agents.names()).containsExactly("bot:bob");
    assertThat(agents.online()).isEqualTo(1);
  }

  @Test
  void renewedIdentitiesStayListedPastTheirFirstLease() throws Exception {
    Joined a = join("a");
    Joined b = join("b");
    a.claim("bot:alice", key());

    elapse(leaseTime().multipliedBy(6).dividedBy(10));
    a.router().renew();
    elapse(leaseTime().multipliedBy(6).dividedBy(10));

    assertThat(b.router().agents(10).orElseThrow().names()).containsExactly("bot:alice");
  }

  @Test
  void aRouterServesOneEngine() {
    Joined a = join("a");

    assertThatThrownBy(() -> a.router().attach(new TestNode()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void packetsThatNoFrameCouldCarryAreRefused() {
    Joined a = join("a");

    assertThatThrownBy(() -> a.router().send("bot:x", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.router().send("bot:x", new byte[KeepPackets.MAX_PACKET_SIZE + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
