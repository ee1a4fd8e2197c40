package dev.handshake.store.redis;

import dev.handshake.session.SessionEvent;
import dev.handshake.session.SessionEventBus;
import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionEventBus} over Redis pub/sub, so that an event published on any node reaches the
 * sockets of its session on every node: an agent's action handled by node B is pushed to the
 * browser whose WebSocket is held by node A.
 *
 * <p><b>Layout</b> (after the connection's key prefix): one channel per session, {@code
 * events:<id>}. A node subscribes to a session's channel while at least one local socket listens to
 * it (the first local subscriber waits, up to the command timeout, until Redis confirms), so Redis
 * sends each event only to the nodes that hold its sockets. A message is the publishing node's
 * random 16-byte id, the event kind (one byte) and the event's JSON.
 *
 * <p><b>Delivery.</b> {@link #publish} hands the event to this node's subscribers at once (that is
 * the count it returns, as the reference reports) and sends it to Redis without waiting; each node
 * skips its own messages when Redis echoes them, so every subscriber receives each event once.
 * Events of one publisher arrive in publishing order. Pub/sub is at most once: while Redis is
 * unreachable, other nodes miss the events published meanwhile (a failed send is logged without its
 * content); local subscribers still get them, and after Redis returns the subscriptions are renewed
 * by themselves.
 */
public final class RedisSessionEventBus implements SessionEventBus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionEventBus.class);
  private static final int NODE_ID_BYTES = 16;
  private static final SessionEvent.Kind[] KINDS = SessionEvent.Kind.values();

  private final RedisConnection redis;
  private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final byte[] nodeId;
  private final String channelPrefix;
  private final Object subscriptions = new Object();
  // changed only under `subscriptions`, read without it
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

  /** The local listeners of one session and Redis's confirmation of its subscription. */
  private record Channel(
      CopyOnWriteArrayList<Listener> listeners, CompletableFuture<Void> subscribed) {}

  private RedisSessionEventBus(RedisConnection redis, SecureRandom random) {
    this.redis = redis;
    this.nodeId = new byte[NODE_ID_BYTES];
    random.nextBytes(nodeId);
    this.channelPrefix = redis.options().keyPrefix() + "events:";
    this.pubsub = redis.openPubSub();
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            receive(channel, message);
          }
        });
  }

  /**
   * A bus for one node, with its own pub/sub connection to the server of {@code redis}; closing the
   * bus closes that connection, not {@code redis}.
   *
   * @throws StoreUnavailableException if the pub/sub connection cannot be opened
   */
  public static RedisSessionEventBus create(RedisConnection redis) {
    return new RedisSessionEventBus(redis, new SecureRandom());
  }

  @Override
  public int publish(String sessionId, SessionEvent event) {
    int delivered = deliver(sessionId, event);
    byte[] json = event.json().getBytes(StandardCharsets.UTF_8);
    byte[] message =
        ByteBuffer.allocate(NODE_ID_BYTES + 1 + json.length)
            .put(nodeId)
            .put((byte) event.kind().ordinal())
            .put(json)
            .array();
    try {
      redis
          .async()
          .publish(channel(sessionId), message)
          .whenComplete((receivers, failure) -> {
            if (failure != null) {
              LOG.warn("session event not sent to other nodes: {}", failure.toString());
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("session event not sent to other nodes: {}", e.toString());
    }
    return delivered;
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if Redis does not confirm the node's subscription to the
   *     session within the command timeout (nothing is then subscribed)
   */
  @Override
  public Subscription subscribe(String sessionId, Listener listener) {
    Channel ch;
    synchronized (subscriptions) {
      ch = channels.get(sessionId);
      if (ch == null) {
        ch = new Channel(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        channels.put(sessionId, ch);
        CompletableFuture<Void> confirmed = ch.subscribed();
        try {
          RedisFuture<Void> f = pubsub.async().subscribe(channel(sessionId));
          f.whenComplete((ok, failure) -> {
            if (failure != null) {
              confirmed.completeExceptionally(failure);
            } else {
              confirmed.complete(null);
            }
          });
        } catch (RuntimeException e) {
          confirmed.completeExceptionally(e);
        }
      }
      ch.listeners().add(listener);
    }
    Subscription sub = new LocalSubscription(sessionId, listener);
    try {
      ch.subscribed().get(redis.options().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      sub.close();
      throw redis.failure("SUBSCRIBE", e.getCause());
    } catch (TimeoutException e) {
      sub.close();
      throw redis.failure("SUBSCRIBE", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sub.close();
      throw new StoreUnavailableException("interrupted while subscribing to session events", e);
    }
    return sub;
  }

  private final class LocalSubscription implements Subscription {
    private final String sessionId;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    LocalSubscription(String sessionId, Listener listener) {
      this.sessionId = sessionId;
      this.listener = listener;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        unsubscribe(sessionId, listener);
      }
    }
  }

  private void unsubscribe(String sessionId, Listener listener) {
    synchronized (subscriptions) {
      Channel ch = channels.get(sessionId);
      if (ch == null || !ch.listeners().remove(listener) || !ch.listeners().isEmpty()) {
        return;
      }
      channels.remove(sessionId);
      try {
        // issued under the lock, so a later SUBSCRIBE of the same channel is sent after it
        pubsub.async().unsubscribe(channel(sessionId));
      } catch (RuntimeException e) {
        LOG.debug("unsubscribe not sent: {}", e.toString());
      }
    }
  }

  /** Closes the pub/sub connection; local subscribers receive nothing more. */
  @Override
  public void close() {
    synchronized (subscriptions) {
      channels.clear();
    }
    pubsub.close();
  }

  /** Sessions with at least one local subscriber; for tests and metrics. */
  public int subscribedSessions() {
    return channels.size();
  }

  private int deliver(String sessionId, SessionEvent event) {
    Channel ch = channels.get(sessionId);
    if (ch == null) {
      return 0;
    }
    int n = 0;
    for (Listener l : ch.listeners()) {
      l.onEvent(event);
      n++;
    }
    return n;
  }

  private void receive(byte[] channel, byte[] message) {
    if (message.length < NODE_ID_BYTES + 1
        || Arrays.equals(message, 0, NODE_ID_BYTES, nodeId, 0, NODE_ID_BYTES)) {
      return;
    }
    int kind = message[NODE_ID_BYTES];
    String name = new String(channel, StandardCharsets.UTF_8);
    if (kind < 0 || kind >= KINDS.length || !name.startsWith(channelPrefix)) {
      LOG.warn("ignoring a malformed session event message");
      return;
    }
    String json =
        new String(
            message, NODE_ID_BYTES + 1, message.length - NODE_ID_BYTES - 1, StandardCharsets.UTF_8);
    try {
      deliver(name.substring(channelPrefix.length()), new SessionEvent(KINDS[kind], json));
    } catch (RuntimeException e) {
      LOG.warn("a session event listener failed: {}", e.toString());
    }
  }

  private byte[] channel(String sessionId) {
    return RedisConnection.utf8(channelPrefix + sessionId);
  }
}
