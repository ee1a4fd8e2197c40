package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.session.SessionEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionEventBus} must do; extended once per implementation. A bus serves one
 * node; {@link #nodeA} and {@link #nodeB} are two nodes of one deployment (for a bus that only
 * spans one process they are the same instance). An event published on either node reaches every
 * subscriber of its session on both, once, in publishing order.
 *
 * <p>Nothing here sleeps: where the absence of a delivery is asserted, a later sentinel event that
 * the transport must deliver after it is awaited first.
 */
abstract class SessionEventBusContract {
  static final Duration DELIVERY = Duration.ofSeconds(10);

  protected SessionEventBus nodeA;
  protected SessionEventBus nodeB;

  /** Two nodes of one fresh deployment, each with no subscribers. */
  protected abstract List<SessionEventBus> openTwoNodes() throws Exception;

  /** Releases what {@link #openTwoNodes} acquired; the default does nothing. */
  protected void release(SessionEventBus node) throws Exception {}

  @BeforeEach
  void setUp() throws Exception {
    List<SessionEventBus> nodes = openTwoNodes();
    nodeA = nodes.get(0);
    nodeB = nodes.get(1);
  }

  @AfterEach
  void tearDown() throws Exception {
    release(nodeA);
    if (nodeB != nodeA) {
      release(nodeB);
    }
  }

  static SessionEvent event(String json) {
    return new SessionEvent(Kind.ACTION, json);
  }

  /** A listener that keeps what it received. */
  static final class Inbox implements SessionEventBus.Listener {
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SessionEvent event) {
      events.add(event);
    }

    List<String> texts() {
      return events.stream().map(SessionEvent::json).toList();
    }
  }

  @Test
  void aLocalSubscriberReceivesTheEventAndIsCounted() {
    Inbox inbox = new Inbox();
    nodeA.subscribe("s1", inbox);

    int delivered = nodeA.publish("s1", new SessionEvent(Kind.DONE, "{\"type\":\"done\"}"));

    assertThat(delivered).isEqualTo(1);
    assertThat(inbox.events).containsExactly(new SessionEvent(Kind.DONE, "{\"type\":\"done\"}"));
  }

  @Test
  void publishingWithoutLocalSubscribersCountsNone() {
    assertThat(nodeA.publish("nobody", event("{}"))).isZero();
  }

  @Test
  void everyLocalSubscriberOfTheSessionIsCounted() {
    Inbox one = new Inbox();
    Inbox two = new Inbox();
    nodeA.subscribe("s1", one);
    nodeA.subscribe("s1", two);
    nodeA.subscribe("s2", new Inbox());

    assertThat(nodeA.publish("s1", event("{\"n\":1}"))).isEqualTo(2);
    assertThat(one.texts()).containsExactly("{\"n\":1}");
    assertThat(two.texts()).containsExactly("{\"n\":1}");
  }

  @Test
  void anEventPublishedOnOneNodeReachesASubscriberOnTheOther() {
    Inbox onB = new Inbox();
    nodeB.subscribe("s1", onB);

    nodeA.publish("s1", new SessionEvent(Kind.EXPIRED, "{\"type\":\"expired\"}"));

    await().atMost(DELIVERY).until(() -> !onB.events.isEmpty());
    assertThat(onB.events)
        .containsExactly(new SessionEvent(Kind.EXPIRED, "{\"type\":\"expired\"}"));
  }

  @Test
  void eventsFromOnePublisherArriveInOrderOnTheOtherNode() {
    Inbox onB = new Inbox();
    nodeB.subscribe("s1", onB);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add("{\"n\":" + i + ",\"text\":\"é\\u0000\"}");
    }

    sent.forEach(json -> nodeA.publish("s1", event(json)));

    await().atMost(DELIVERY).until(() -> onB.events.size() >= sent.size());
    assertThat(onB.texts()).containsExactlyElementsOf(sent);
  }

  @Test
  void aSubscriberOnThePublishingNodeReceivesEachEventOnce() {
    Inbox onA = new Inbox();
    Inbox onB = new Inbox();
    nodeA.subscribe("s1", onA);
    nodeB.subscribe("s1", onB);
    nodeA.publish("s1", event("{\"n\":1}"));
    nodeA.publish("s1", event("{\"n\":2}"));
    await().atMost(DELIVERY).until(() -> onB.events.size() >= 2);

    // published after node B saw both, so delivered to node A after any echo of them
    nodeB.publish("s1", event("{\"sentinel\":true}"));

    await().atMost(DELIVERY).until(() -> onA.texts().contains("{\"sentinel\":true}"));
    assertThat(onA.texts()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"sentinel\":true}");
  }

  @Test
  void eventsOfOtherSessionsAreNotDelivered() {
    Inbox s1 = new Inbox();
    Inbox s2 = new Inbox();
    nodeB.subscribe("s1", s1);
    nodeB.subscribe("s2", s2);

    nodeA.publish("s1", event("{\"for\":1}"));
    nodeA.publish("s2", event("{\"for\":2}"));

    await().atMost(DELIVERY).until(() -> !s2.events.isEmpty());
    assertThat(s1.texts()).containsExactly("{\"for\":1}");
    assertThat(s2.texts()).containsExactly("{\"for\":2}");
  }

  @Test
  void aClosedSubscriptionReceivesNothingMoreOnEitherNode() {
    Inbox closedOnA = new Inbox();
    Inbox closedOnB = new Inbox();
    Inbox sentinel = new Inbox();
    nodeA.subscribe("s1", closedOnA).close();
    nodeB.subscribe("s1", closedOnB).close();
    nodeB.subscribe("s2", sentinel);

    int delivered = nodeA.publish("s1", event("{\"late\":true}"));
    nodeA.publish("s2", event("{\"sentinel\":true}"));

    await().atMost(DELIVERY).until(() -> !sentinel.events.isEmpty());
    assertThat(delivered).isZero();
    assertThat(closedOnA.events).isEmpty();
    assertThat(closedOnB.events).isEmpty();
  }

  @Test
  void closingOneSubscriptionKeepsTheOthersOfTheSameSession() {
    Inbox kept = new Inbox();
    nodeB.subscribe("s1", kept);
    nodeB.subscribe("s1", new Inbox()).close();

    nodeA.publish("s1", event("{\"n\":1}"));

    await().atMost(DELIVERY).until(() -> !kept.events.isEmpty());
    assertThat(kept.texts()).containsExactly("{\"n\":1}");
  }

  @Test
  void closingASubscriptionTwiceIsHarmless() {
    Inbox kept = new Inbox();
    nodeA.subscribe("s1", kept);
    SessionEventBus.Subscription sub = nodeA.subscribe("s1", new Inbox());

    sub.close();
    sub.close();

    assertThat(nodeA.publish("s1", event("{}"))).isEqualTo(1);
  }
}
