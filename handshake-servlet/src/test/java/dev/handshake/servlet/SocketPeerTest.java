package dev.handshake.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound queue of one socket: one send in flight, bounded bytes, close after flush. */
class SocketPeerTest {
  /** A session whose async sends complete only when the test says so (or at once, if told). */
  private static final class FakeSession {
    final List<String> sent = new ArrayList<>();
    final List<SendHandler> inFlight = new ArrayList<>();
    final List<Integer> closeCodes = new ArrayList<>();
    boolean completeImmediately;
    boolean open = true;

    private Session session;

    Session session() {
      RemoteEndpoint.Async async =
          (RemoteEndpoint.Async)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {RemoteEndpoint.Async.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                      assertThat(inFlight).as("never two sends in flight").isEmpty();
                      sent.add((String) args[0]);
                      SendHandler h = (SendHandler) args[1];
                      if (completeImmediately) {
                        h.onResult(new SendResult(session));
                      } else {
                        inFlight.add(h);
                      }
                      return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                  });
      session =
          (Session)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Session.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "getAsyncRemote" -> async;
                        case "isOpen" -> open;
                        case "close" -> {
                          closeCodes.add(((CloseReason) args[0]).getCloseCode().getCode());
                          open = false;
                          yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                      });
      return session;
    }

    void completeOne() {
      inFlight.remove(0).onResult(new SendResult(session));
    }
  }

  private final FakeSession fake = new FakeSession();

  private SocketPeer peer(long maxPendingBytes) {
    SocketPeer p = held(maxPendingBytes);
    p.release();
    return p;
  }

  private SocketPeer held(long maxPendingBytes) {
    return new SocketPeer(fake.session(), maxPendingBytes, Runnable::run);
  }

  @Test
  void aHeldPeerWritesNothingUntilReleased() {
    SocketPeer p = held(1000);
    p.send("connected");
    p.send("done");
    assertThat(fake.sent).isEmpty();
    p.release();
    assertThat(fake.sent).containsExactly("connected");
    fake.completeOne();
    assertThat(fake.sent).containsExactly("connected", "done");
  }

  @Test
  void aCloseWhileHeldHappensAfterTheQueuedMessages() {
    SocketPeer p = held(1000);
    p.send("{\"type\":\"error\",\"msg\":\"invalid token\"}");
    p.close(1000);
    assertThat(fake.closeCodes).isEmpty();
    p.release();
    assertThat(fake.closeCodes).isEmpty();
    fake.completeOne();
    assertThat(fake.closeCodes).containsExactly(1000);
  }

  @Test
  void queuesWhileASendIsInFlightAndKeepsOrder() {
    SocketPeer p = peer(1000);
    p.send("a");
    p.send("b");
    p.send("c");
    assertThat(fake.sent).containsExactly("a");
    fake.completeOne();
    assertThat(fake.sent).containsExactly("a", "b");
    fake.completeOne();
    fake.completeOne();
    assertThat(fake.sent).containsExactly("a", "b", "c");
    assertThat(fake.closeCodes).isEmpty();
  }

  @Test
  void dropsAPeerWithMoreThanTheLimitOutstanding() {
    SocketPeer p = peer(100);
    p.send("x".repeat(60));
    p.send("y".repeat(30));
    assertThat(fake.closeCodes).as("90 bytes pending is within the limit").isEmpty();
    p.send("z".repeat(20));
    assertThat(fake.closeCodes).containsExactly(SocketPeer.SLOW_CONSUMER);
    fake.completeOne();
    p.send("late");
    assertThat(fake.sent).as("nothing is sent after the drop").containsExactly("x".repeat(60));
  }

  @Test
  void aSingleLargeMessageIsSentWhenNothingIsPending() {
    SocketPeer p = peer(10);
    p.send("x".repeat(50));
    assertThat(fake.sent).hasSize(1);
    assertThat(fake.closeCodes).isEmpty();
  }

  @Test
  void closeWaitsUntilQueuedMessagesAreWritten() {
    SocketPeer p = peer(1000);
    p.send("{\"type\":\"expired\"}");
    p.close(1000);
    p.send("ignored after close");
    assertThat(fake.closeCodes).as("not before the last message is written").isEmpty();
    fake.completeOne();
    assertThat(fake.closeCodes).containsExactly(1000);
    assertThat(fake.sent).containsExactly("{\"type\":\"expired\"}");
  }

  @Test
  void closeWithNothingPendingIsImmediate() {
    peer(1000).close(1008);
    assertThat(fake.closeCodes).containsExactly(1008);
  }

  @Test
  void sendsCompletingOnTheCallingThreadDoNotRecurse() {
    SocketPeer p = peer(Long.MAX_VALUE);
    p.send("first");
    for (int i = 0; i < 100_000; i++) {
      p.send("m");
    }
    fake.completeImmediately = true;
    fake.completeOne(); // drains 100,000 queued messages; a recursion would overflow the stack
    assertThat(fake.sent).hasSize(100_001);
  }

  @Test
  void countsUtf8Bytes() {
    assertThat(SocketPeer.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
  }
}
