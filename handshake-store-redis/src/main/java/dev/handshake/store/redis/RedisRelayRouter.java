package dev.handshake.store.redis;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayRouter;
import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RelayRouter} over Redis: the directory of which node holds which keep identity, and a
 * pub/sub channel per node that carries verified packets to it, so that an agent connected to node
 * A reaches an agent connected to node B.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code relay:id:<identity>} is a string,
 * the holder's 32-byte public key followed by the holding node's id, expiring {@link
 * Options#leaseTime} after the holder's last claim or renewal; {@code relay:ids} is a sorted set of
 * the identities scored by that same lease expiry (ms, Redis's clock), which {@link #agents} counts
 * and lists for discovery across nodes; channel {@code relay:node:<nodeId>} carries {@link
 * RelayBusMessage}s to that node. Claim, send, release and renewal are each one Lua
 * script, so racing nodes see one order: a send looks the holder up and publishes to its channel in
 * the same step, and a claim checks the key and moves the name in the same step (telling the
 * previous node on its channel).
 *
 * <p><b>Bounds.</b> {@link #send} and {@link #claim} run on the engine's dispatch thread and wait
 * at most {@link Options#routeTimeout}; after a failure they answer {@code UNAVAILABLE} at once for
 * {@link Options#retryAfter} instead of waiting again, so a hung Redis costs one timeout per
 * interval, not one per packet. Incoming messages wait in a queue of {@link Options#deliveryQueue}
 * messages for the node's one delivery thread; past it they are dropped and counted ({@link
 * #droppedMessages}), like any pub/sub message lost on the way (delivery is at most once). Renewal
 * runs every {@link Options#renewEvery} on its own thread, {@link Options#renewBatch} identities
 * per script.
 *
 * <p><b>Redis away.</b> Sends to identities held elsewhere answer {@code UNAVAILABLE} (the engine
 * replies {@code error:delivery_failed}) and new names cannot be claimed; names already held keep
 * working between local connections. Once Redis is back, Lettuce restores the node's subscription
 * and the next renewal re-claims what the node holds (a restarted Redis is empty): nothing needs to
 * be recreated. A node that dies stops renewing, and its names lapse after the lease time; until
 * then sends to them are {@code OFFLINE} (nobody listens on its channel) and the same key may claim
 * them from another node at once.
 *
 * <p>Anyone who can publish on the Redis server can inject packets into a node: protect Redis as
 * the rest of the shared state (password, TLS, a private network).
 */
public final class RedisRelayRouter implements RelayRouter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRelayRouter.class);
  private static final int PK = Ed25519PublicKey.SIZE;
  private static final String ID_PREFIX = "relay:id:";
  private static final String INDEX = "relay:ids";

  /**
   * Limits of one node's router.
   *
   * @param leaseTime how long a claim lasts without renewal (default 15 s): a dead node's names
   *     stay claimed this long
   * @param renewEvery how often the node renews its claims (default 5 s, less than the lease time);
   *     zero renews only when {@link #renew()} is called
   * @param routeTimeout the longest a send or claim waits for Redis (default 500 ms)
   * @param retryAfter after a failed send or claim, how long the next ones fail at once (default 1
   *     s); zero always tries
   * @param deliveryQueue incoming messages waiting for delivery (default 10,000); more are dropped
   * @param renewBatch identities renewed per script (default 500)
   */
  public record Options(
      Duration leaseTime,
      Duration renewEvery,
      Duration routeTimeout,
      Duration retryAfter,
      int deliveryQueue,
      int renewBatch) {
    public static final Options DEFAULTS =
        new Options(
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            10_000,
            500);

    public Options {
      if (leaseTime.toMillis() < 1) {
        throw new IllegalArgumentException("leaseTime must be at least 1 ms: " + leaseTime);
      }
      if (renewEvery.isNegative() || renewEvery.compareTo(leaseTime) >= 0) {
        throw new IllegalArgumentException(
            "renewEvery must be zero or shorter than leaseTime " + leaseTime + ": " + renewEvery);
      }
      if (routeTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("routeTimeout must be at least 1 ms: " + routeTimeout);
      }
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
      }
      if (deliveryQueue < 1 || renewBatch < 1) {
        throw new IllegalArgumentException("deliveryQueue and renewBatch must be at least 1");
      }
    }

    public Options withLeaseTime(Duration lease, Duration renew) {
      return new Options(lease, renew, routeTimeout, retryAfter, deliveryQueue, renewBatch);
    }

    public Options withRouteTimeout(Duration timeout, Duration retry) {
      return new Options(leaseTime, renewEvery, timeout, retry, deliveryQueue, renewBatch);
    }

    public Options withDeliveryQueue(int messages) {
      return new Options(leaseTime, renewEvery, routeTimeout, retryAfter, messages, renewBatch);
    }

    public Options withRenewBatch(int identities) {
      return new Options(
          leaseTime, renewEvery, routeTimeout, retryAfter, deliveryQueue, identities);
    }
  }

  private final RedisConnection redis;
  private final String nodeId;
  private final Options options;
  private final byte[] nodeBytes;
  private final byte[] channelPrefix;
  private final byte[] indexKey;
  private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final BlockingQueue<byte[]> incoming;
  private final Thread deliveryThread;
  private final @Nullable ScheduledExecutorService renewer;
  private final AtomicReference<@Nullable Node> node = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder dropped = new LongAdder();
  private volatile long failFastUntil;
  private volatile boolean unavailable;

  private RedisRelayRouter(RedisConnection redis, String nodeId, Options options) {
    if (nodeId.isEmpty() || nodeId.length() > 128) {
      throw new IllegalArgumentException("a node id has 1..128 characters");
    }
    this.redis = redis;
    this.nodeId = nodeId;
    this.options = options;
    this.nodeBytes = RedisConnection.utf8(nodeId);
    String prefix = redis.options().keyPrefix() + "relay:node:";
    this.channelPrefix = RedisConnection.utf8(prefix);
    this.indexKey = redis.key(INDEX);
    this.incoming = new ArrayBlockingQueue<>(options.deliveryQueue());
    this.pubsub = redis.openPubSub();
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            if (!incoming.offer(message)) {
              dropped.increment();
            }
          }
        });
    try {
      CompletableFuture<Void> subscribed =
          pubsub.async().subscribe(RedisConnection.utf8(prefix + nodeId)).toCompletableFuture();
      await("SUBSCRIBE", subscribed, redis.options().commandTimeout());
    } catch (RuntimeException e) {
      pubsub.close();
      throw e;
    }
    this.deliveryThread = new Thread(this::deliverLoop, "relay-router-delivery-" + nodeId);
    deliveryThread.setDaemon(true);
    deliveryThread.start();
    if (options.renewEvery().isZero()) {
      this.renewer = null;
    } else {
      this.renewer =
          Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-router-renew-" + nodeId);
            t.setDaemon(true);
            return t;
          });
      long every = options.renewEvery().toMillis();
      renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** A node with a random id and {@link Options#DEFAULTS}. */
  public static RedisRelayRouter create(RedisConnection redis) {
    byte[] id = new byte[12];
    new SecureRandom().nextBytes(id);
    return create(
        redis, Base64.getUrlEncoder().withoutPadding().encodeToString(id), Options.DEFAULTS);
  }

  /**
   * A node named {@code nodeId} (unique in the deployment; a fresh random id per process start is
   * safest, since a restarted node must not inherit its predecessor's claims). Closing the router
   * closes its pub/sub connection, not {@code redis}.
   *
   * @throws StoreUnavailableException if Redis does not confirm the node's subscription in time
   */
  public static RedisRelayRouter create(RedisConnection redis, String nodeId, Options options) {
    return new RedisRelayRouter(redis, nodeId, options);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void attach(Node n) {
    if (!node.compareAndSet(null, n)) {
      throw new IllegalStateException("relay node " + nodeId + " already has an engine attached");
    }
  }

  @Override
  public Claim claim(String identity, Ed25519PublicKey key, boolean takeOver) {
    if (closed.get() || failingFast()) {
      return Claim.UNAVAILABLE;
    }
    try {
      Long held =
          await(
              "relay claim",
              redis.evalAsync(
                  RelayScripts.CLAIM,
                  ScriptOutputType.INTEGER,
                  new byte[][] {idKey(identity), indexKey},
                  entry(key),
                  num(options.leaseTime().toMillis()),
                  num(takeOver ? 1 : 0),
                  channelPrefix,
                  RelayBusMessage.lost(identity),
                  RedisConnection.utf8(identity)),
              options.routeTimeout());
      available();
      return held == 1 ? Claim.HELD : Claim.CONFLICT;
    } catch (StoreUnavailableException e) {
      failed(e);
      return Claim.UNAVAILABLE;
    }
  }

  @Override
  public void release(String identity) {
    if (closed.get()) {
      return;
    }
    // nobody waits: an unanswered release leaves a claim that lapses with its lease
    redis
        .<Long>evalAsync(
            RelayScripts.RELEASE,
            ScriptOutputType.INTEGER,
            new byte[][] {indexKey, idKey(identity)},
            nodeBytes,
            RedisConnection.utf8(identity))
        .whenComplete((n, e) -> {
          if (e != null) {
            LOG.debug("relay release not applied: {}", e.toString());
          }
        });
  }

  @Override
  public Route send(String identity, byte[] packetBytes) {
    if (packetBytes.length == 0 || packetBytes.length > KeepPackets.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "a relay packet has 1.."
              + KeepPackets.MAX_PACKET_SIZE
              + " bytes, got "
              + packetBytes.length);
    }
    if (closed.get() || failingFast()) {
      return Route.UNAVAILABLE;
    }
    try {
      Long sent =
          await(
              "relay send",
              redis.evalAsync(
                  RelayScripts.SEND,
                  ScriptOutputType.INTEGER,
                  new byte[][] {idKey(identity)},
                  channelPrefix,
                  RelayBusMessage.packet(identity, packetBytes)),
              options.routeTimeout());
      available();
      return sent == 1 ? Route.SENT : Route.OFFLINE;
    } catch (StoreUnavailableException e) {
      failed(e);
      return Route.UNAVAILABLE;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if Redis does not answer within the command timeout
   */
  @Override
  public Optional<String> locate(String identity) {
    byte[] entry = redis.call("relay locate", c -> c.get(idKey(identity)));
    if (entry == null || entry.length <= PK) {
      return Optional.empty();
    }
    return Optional.of(
        new String(entry, PK, entry.length - PK, StandardCharsets.UTF_8));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One read-only script over {@code relay:ids}: a count and at most {@code limit} names
   * (those whose leases end soonest). Empty, at once, while sends fail fast after an outage; and
   * after {@link Options#routeTimeout} without an answer.
   */
  @Override
  public Optional<Agents> agents(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    if (closed.get() || failingFast()) {
      return Optional.empty();
    }
    try {
      List<Object> answer =
          await(
              "relay agents",
              redis.evalAsync(
                  RelayScripts.AGENTS, ScriptOutputType.MULTI, new byte[][] {indexKey}, num(limit)),
              options.routeTimeout());
      available();
      List<String> names = new ArrayList<>();
      for (Object name : (List<?>) answer.get(1)) {
        names.add(new String((byte[]) name, StandardCharsets.UTF_8));
      }
      return Optional.of(new Agents((Long) answer.get(0), names));
    } catch (StoreUnavailableException e) {
      failed(e);
      return Optional.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if Redis does not answer within the command timeout (the
   *     timer's renewals log it instead)
   */
  @Override
  public void renew() {
    Node n = node.get();
    if (n == null || closed.get()) {
      return;
    }
    List<Map.Entry<String, Ed25519PublicKey>> held = new ArrayList<>(n.held().entrySet());
    List<String> lost = new ArrayList<>();
    for (int from = 0; from < held.size(); from += options.renewBatch()) {
      List<Map.Entry<String, Ed25519PublicKey>> batch =
          held.subList(from, Math.min(held.size(), from + options.renewBatch()));
      int size = batch.size();
      byte[][] keys = new byte[size + 1][];
      byte[][] args = new byte[2 * size + 2][];
      keys[0] = indexKey;
      args[0] = nodeBytes;
      args[1] = num(options.leaseTime().toMillis());
      for (int i = 0; i < size; i++) {
        keys[i + 1] = idKey(batch.get(i).getKey());
        args[i + 2] = batch.get(i).getValue().raw();
        args[size + 2 + i] = RedisConnection.utf8(batch.get(i).getKey());
      }
      List<Object> taken = redis.eval(RelayScripts.RENEW, ScriptOutputType.MULTI, keys, args);
      for (Object index : taken) {
        lost.add(batch.get(((Long) index).intValue() - 1).getKey());
      }
    }
    available();
    lost.forEach(n::lost);
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (StoreUnavailableException e) {
      failed(e);
    } catch (RuntimeException e) {
      LOG.warn("relay claim renewal failed", e);
    }
  }

  /** Messages for this node lost because the delivery queue was full or they were malformed. */
  public long droppedMessages() {
    return dropped.sum();
  }

  public Options options() {
    return options;
  }

  /**
   * Stops renewing, releases the names this node holds (best effort, within the command timeout),
   * and closes the pub/sub connection; the shared {@link RedisConnection} stays open.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (renewer != null) {
      renewer.shutdownNow();
    }
    Node n = node.get();
    if (n != null) {
      try {
        List<String> names = new ArrayList<>(n.held().keySet());
        if (!names.isEmpty()) {
          byte[][] keys = new byte[names.size() + 1][];
          byte[][] args = new byte[names.size() + 1][];
          keys[0] = indexKey;
          args[0] = nodeBytes;
          for (int i = 0; i < names.size(); i++) {
            keys[i + 1] = idKey(names.get(i));
            args[i + 1] = RedisConnection.utf8(names.get(i));
          }
          redis.eval(RelayScripts.RELEASE, ScriptOutputType.INTEGER, keys, args);
        }
      } catch (RuntimeException e) {
        LOG.info(
            "relay node {} closed without releasing its names (they lapse): {}",
            nodeId,
            e.toString());
      }
    }
    pubsub.close();
    deliveryThread.interrupt();
  }

  private void deliverLoop() {
    while (!closed.get()) {
      byte[] message;
      try {
        message = incoming.take();
      } catch (InterruptedException e) {
        return;
      }
      Node n = node.get();
      Optional<RelayBusMessage> decoded = RelayBusMessage.decode(message);
      if (n == null || decoded.isEmpty()) {
        dropped.increment();
        continue;
      }
      RelayBusMessage m = decoded.get();
      try {
        if (m.kind() == RelayBusMessage.LOST) {
          n.lost(m.identity());
        } else {
          n.deliver(m.identity(), m.packet());
        }
      } catch (RuntimeException e) {
        LOG.warn("relay node {} failed to take a routed message: {}", nodeId, e.toString());
      }
    }
  }

  private boolean failingFast() {
    return unavailable && System.nanoTime() - failFastUntil < 0;
  }

  private void failed(StoreUnavailableException e) {
    failFastUntil = System.nanoTime() + options.retryAfter().toNanos();
    if (!unavailable) {
      unavailable = true;
      LOG.warn("relay routing through Redis unavailable: {}", e.getMessage());
    }
  }

  private void available() {
    if (unavailable) {
      unavailable = false;
      LOG.info("relay routing through Redis available again");
    }
  }

  private <T> T await(String what, CompletableFuture<T> answer, Duration timeout) {
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw asUnavailable(redis.failure(what, e.getCause() == null ? e : e.getCause()));
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(
          "Redis at "
              + redis.address()
              + " is unavailable ("
              + what
              + "): no answer within "
              + timeout,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for Redis (" + what + ")", e);
    }
  }

  /** A bug (a refused script) stays a bug; everything else is an outage. */
  private static StoreUnavailableException asUnavailable(RuntimeException e) {
    if (e instanceof StoreUnavailableException u) {
      return u;
    }
    throw e;
  }

  private byte[] idKey(String identity) {
    return redis.key(ID_PREFIX + identity);
  }

  private byte[] entry(Ed25519PublicKey key) {
    byte[] pk = key.raw();
    byte[] out = new byte[PK + nodeBytes.length];
    System.arraycopy(pk, 0, out, 0, PK);
    System.arraycopy(nodeBytes, 0, out, PK, nodeBytes.length);
    return out;
  }

  private static byte[] num(long n) {
    return RedisConnection.utf8(Long.toString(n));
  }
}
