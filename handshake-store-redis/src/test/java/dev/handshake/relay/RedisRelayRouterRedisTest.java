package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.RelayRouter.Claim;
import dev.handshake.relay.RelayRouter.Route;
import dev.handshake.relay.RelayRouterContract.TestNode;
import dev.handshake.store.StoreUnavailableException;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRelayRouter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the Redis router shows: its key layout, renewal on its own timer, Redis stopped, hung
 * and restarted under it, a node that died without releasing, and its bounded delivery queue. Each
 * test has its own server; every test has a hard timeout far above the timeouts it configures, so a
 * call that hung would fail it.
 */
@Timeout(60)
class RedisRelayRouterRedisTest {
  static final Duration RECOVERY = Duration.ofSeconds(20);
  static final SecureRandom RANDOM = new SecureRandom();
  static final RedisConnection.Options FAST =
      RedisConnection.Options.DEFAULTS
          .withCommandTimeout(Duration.ofMillis(500))
          .withMaxReconnectDelay(Duration.ofMillis(200));
  static final RedisRelayRouter.Options MANUAL =
      RedisRelayRouter.Options.DEFAULTS
          .withLeaseTime(Duration.ofSeconds(5), Duration.ZERO)
          .withRouteTimeout(Duration.ofMillis(300), Duration.ofMillis(200));

  EmbeddedRedis redis;
  final List<RedisConnection> connections = new ArrayList<>();
  final List<RelayRouter> routers = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterEach
  void stopRedis() {
    try {
      routers.forEach(RelayRouter::close);
      connections.forEach(RedisConnection::close);
    } finally {
      redis.close();
    }
  }

  RedisConnection connect() {
    RedisConnection c = RedisConnection.open(redis.url(), FAST);
    connections.add(c);
    return c;
  }

  RedisRelayRouter router(
      RedisConnection c, String nodeId, RedisRelayRouter.Options options, RelayRouter.Node node) {
    RedisRelayRouter r = RedisRelayRouter.create(c, nodeId, options);
    routers.add(r);
    r.attach(node);
    return r;
  }

  static Ed25519PublicKey key() {
    return Ed25519PrivateKey.generate(RANDOM).publicKey();
  }

  static byte[] packet(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aClaimIsTheKeyAndNodeUnderThePrefixedIdentityExpiringWithTheLease() {
    RedisRelayRouter a = router(connect(), "node-1", MANUAL, new TestNode());

    a.claim("bot:a", key(), false);

    assertThat(redis.command("STRLEN", "hs:relay:id:bot:a"))
        .as("32-byte public key, then the node id")
        .isEqualTo(":" + (32 + "node-1".length()));
    long pttl = Long.parseLong(redis.command("PTTL", "hs:relay:id:bot:a").substring(1));
    assertThat(pttl).isPositive().isLessThanOrEqualTo(MANUAL.leaseTime().toMillis());
    assertThat(redis.command("PUBSUB", "CHANNELS", "hs:relay:node:*"))
        .as("one channel, the node's own")
        .isEqualTo("*1");
    assertThat(redis.command("ZCARD", "hs:relay:ids"))
        .as("the discovery index holds the name")
        .isEqualTo(":1");
  }

  @Test
  void theDiscoveryIndexIsScoredByLeaseExpiryAndLosesReleasedNames() {
    RedisRelayRouter a = router(connect(), "node-1", MANUAL, new TestNode());
    a.claim("bot:a", key(), false);
    a.claim("bot:b", key(), false);
    long remaining =
        Long.parseLong(
            redis
                .command(
                    "EVAL",
                    "local t = redis.call('TIME') "
                        + "return tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) "
                        + "- (t[1] * 1000 + math.floor(t[2] / 1000))",
                    "1",
                    "hs:relay:ids",
                    "bot:a")
                .substring(1));
    assertThat(remaining)
        .as("ms until the lease ends, by Redis's clock")
        .isPositive()
        .isLessThanOrEqualTo(MANUAL.leaseTime().toMillis());

    a.release("bot:a");

    await()
        .atMost(RECOVERY)
        .until(() -> redis.command("ZCARD", "hs:relay:ids").equals(":1"));
    assertThat(a.agents(10).orElseThrow().names()).containsExactly("bot:b");
  }

  @Test
  void renewalOnItsOwnTimerKeepsClaimsPastTheLease() throws InterruptedException {
    TestNode node = new TestNode();
    RedisRelayRouter a =
        router(
            connect(),
            "a",
            MANUAL.withLeaseTime(Duration.ofMillis(600), Duration.ofMillis(150)),
            node);
    Ed25519PublicKey k = key();
    a.claim("bot:a", k, false);
    node.held.put("bot:a", k);

    Thread.sleep(1_500);

    assertThat(a.locate("bot:a")).contains("a");
  }

  @Test
  void whileRedisIsStoppedSendsAndClaimsAreUnavailableAndLocateFailsClearly() {
    TestNode onA = new TestNode();
    RedisRelayRouter a = router(connect(), "a", MANUAL, onA);
    RedisRelayRouter b = router(connect(), "b", MANUAL, new TestNode());
    b.claim("bot:bob", key(), false);
    onA.held.put("bot:carol", key());

    redis.stop();

    assertThat(a.send("bot:bob", packet("x"))).isEqualTo(Route.UNAVAILABLE);
    assertThat(a.claim("bot:alice", key(), false)).isEqualTo(Claim.UNAVAILABLE);
    assertThatThrownBy(() -> a.locate("bot:bob"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(redis.url());
    assertThatThrownBy(a::renew).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void aHungRedisMakesSendsUnavailableInsteadOfHangingAndTheyRecoverAfterwards() {
    RedisRelayRouter a = router(connect(), "a", MANUAL, new TestNode());
    TestNode onB = new TestNode();
    RedisRelayRouter b = router(connect(), "b", MANUAL, onB);
    b.claim("bot:bob", key(), false);

    redis.freeze();
    try {
      assertThat(a.send("bot:bob", packet("while hung"))).isEqualTo(Route.UNAVAILABLE);
      assertThat(a.send("bot:bob", packet("still hung"))).isEqualTo(Route.UNAVAILABLE);
      assertThat(a.claim("bot:alice", key(), false)).isEqualTo(Claim.UNAVAILABLE);
    } finally {
      redis.thaw();
    }

    await().atMost(RECOVERY).until(() -> a.send("bot:bob", packet("after")) == Route.SENT);
    onB.awaitDelivered("bot:bob", packet("after"));
  }

  @Test
  void afterRedisRestartsEmptyRoutingResumesWithoutRecreatingAnything() {
    RedisRelayRouter.Options renewing =
        MANUAL.withLeaseTime(Duration.ofSeconds(2), Duration.ofMillis(200));
    RedisRelayRouter a = router(connect(), "a", renewing, new TestNode());
    TestNode onB = new TestNode();
    RedisRelayRouter b = router(connect(), "b", renewing, onB);
    Ed25519PublicKey k = key();
    b.claim("bot:bob", k, false);
    onB.held.put("bot:bob", k);

    redis.stop();
    assertThat(a.send("bot:bob", packet("down"))).isEqualTo(Route.UNAVAILABLE);
    redis.start();

    await().atMost(RECOVERY).until(() -> a.send("bot:bob", packet("back")) == Route.SENT);
    onB.awaitDelivered("bot:bob", packet("back"));
    assertThat(redis.command("EXISTS", "hs:relay:id:bot:bob"))
        .as("re-claimed by node b's renewal in the empty server")
        .isEqualTo(":1");
  }

  @Test
  void aNodeThatDiedWithoutReleasingIsOfflineAtOnceAndOnlyItsOwnKeyMayMoveItsNames() {
    RedisRelayRouter a = router(connect(), "a", MANUAL, new TestNode());
    RedisRelayRouter c = router(connect(), "c", MANUAL, new TestNode());
    RedisConnection dying = RedisConnection.open(redis.url(), FAST);
    RedisRelayRouter b = router(dying, "b", MANUAL, new TestNode());
    Ed25519PublicKey bobKey = key();
    b.claim("bot:bob", bobKey, false);

    dying.close(); // the process is gone: its sockets close, nothing is released

    await().atMost(RECOVERY).until(() -> a.send("bot:bob", packet("x")) == Route.OFFLINE);
    assertThat(a.locate("bot:bob")).as("claimed until the lease lapses").contains("b");
    assertThat(c.claim("bot:bob", key(), false)).isEqualTo(Claim.CONFLICT);
    assertThat(c.claim("bot:bob", bobKey, false))
        .as("bob reconnecting elsewhere need not wait for the lease")
        .isEqualTo(Claim.HELD);
  }

  @Test
  void malformedMessagesOnANodesChannelAreDroppedAndCounted() {
    RedisRelayRouter a = router(connect(), "a", MANUAL, new TestNode());
    TestNode onB = new TestNode();
    RedisRelayRouter b = router(connect(), "b", MANUAL, onB);
    b.claim("bot:bob", key(), false);

    redis.command("PUBLISH", "hs:relay:node:b", "garbage");
    redis.command("PUBLISH", "hs:relay:node:b", "");

    await().atMost(RECOVERY).until(() -> b.droppedMessages() == 2);
    a.send("bot:bob", packet("valid"));
    onB.awaitDelivered("bot:bob", packet("valid"));
    assertThat(onB.delivered).hasSize(1);
    assertThat(onB.lost).isEmpty();
  }

  @Test
  void whatDoesNotFitTheDeliveryQueueIsDroppedAndCounted() throws InterruptedException {
    RedisRelayRouter a = router(connect(), "a", MANUAL, new TestNode());
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    RelayRouter.Node stuck =
        new RelayRouter.Node() {
          @Override
          public void deliver(String identity, byte[] packetBytes) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            delivered.incrementAndGet();
          }

          @Override
          public void lost(String identity) {}

          @Override
          public Map<String, Ed25519PublicKey> held() {
            return Map.of();
          }
        };
    RedisRelayRouter b = router(connect(), "b", MANUAL.withDeliveryQueue(2), stuck);
    b.claim("bot:bob", key(), false);

    for (int i = 0; i < 10; i++) {
      assertThat(a.send("bot:bob", packet("n" + i))).isEqualTo(Route.SENT);
    }

    // one message is being delivered, two wait in the queue: the other seven are dropped
    await().atMost(RECOVERY).until(() -> b.droppedMessages() == 7);
    release.countDown();
    await().atMost(RECOVERY).until(() -> delivered.get() == 3);
  }

  @Test
  void aRouterCannotStartWithoutRedis() {
    RedisConnection c = connect();
    redis.stop();

    assertThatThrownBy(() -> RedisRelayRouter.create(c, "a", MANUAL))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void limitsMustBeBoundedAndConsistent() {
    RedisRelayRouter.Options d = RedisRelayRouter.Options.DEFAULTS;
    assertThatThrownBy(() -> d.withLeaseTime(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .as("renewing no more often than the lease lets claims lapse")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withLeaseTime(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRouteTimeout(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withDeliveryQueue(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRenewBatch(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renewalCoversMoreIdentitiesThanOneBatch() {
    TestNode node = new TestNode();
    RedisRelayRouter a = router(connect(), "a", MANUAL.withRenewBatch(3), node);
    for (int i = 0; i < 10; i++) {
      node.held.put("bot:n" + i, key());
    }

    a.renew();

    for (int i = 0; i < 10; i++) {
      assertThat(a.locate("bot:n" + i)).as("bot:n" + i).contains("a");
    }
  }
}
