package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The queueing, close tracking and sending of {@link LiveListener}, driven through the JDK listener
 * callbacks with a recording socket (the live server is tested by the server module).
 */
class LiveListenerTest {
  private static final Duration SHORT = Duration.ofMillis(50);
  private static final Duration LONG = Duration.ofSeconds(5);

  private final RecordingSocket socket = new RecordingSocket();
  private LiveListener live;
  private WebSocket.Listener receiver;

  @BeforeEach
  void open() {
    live = new LiveListener(LONG);
    receiver = live.receiver();
    receiver.onOpen(socket);
  }

  @Test
  void queuesEachJsonMessageAssembledFromItsFrames() {
    receiver.onText(socket, "{\"type\":\"conn", false);
    receiver.onText(socket, "ected\",\"mode\":\"form-fill\"}", true);

    JsonNode m = live.next(LONG).orElseThrow();

    assertThat(m.path("type").stringValue()).isEqualTo("connected");
    assertThat(m.path("mode").stringValue()).isEqualTo("form-fill");
    assertThat(socket.requested).as("asks for one message at a time").isEqualTo(3);
  }

  @Test
  void awaitTypeTakesTheFirstMatchAndLeavesTheRestInOrder() {
    receiver.onText(socket, "{\"type\":\"action\",\"key\":\"a\",\"value\":1}", true);
    receiver.onText(socket, "{\"type\":\"done\",\"applied\":2}", true);
    receiver.onText(socket, "{\"type\":\"action\",\"key\":\"b\",\"value\":2}", true);

    JsonNode done = live.awaitType("done", LONG).orElseThrow();

    assertThat(done.path("applied").intValue()).isEqualTo(2);
    assertThat(live.pending())
        .extracting(n -> n.path("key").stringValue())
        .containsExactly("a", "b");
  }

  @Test
  void returnsEmptyWhenNothingArrivesInTime() {
    receiver.onText(socket, "{\"type\":\"heartbeat\"}", true);

    assertThat(live.awaitType("done", SHORT)).isEmpty();
    assertThat(live.pending()).hasSize(1);
  }

  @Test
  void wakesAWaiterWhenAMessageArrives() throws Exception {
    Thread pusher =
        Thread.ofVirtual()
            .start(
                () -> {
                  sleep(100);
                  receiver.onText(socket, "{\"type\":\"extended\",\"expiresIn\":3600}", true);
                });

    assertThat(live.awaitType("extended", LONG)).isPresent();
    pusher.join();
  }

  @Test
  void ignoresTextThatIsNotJson() {
    receiver.onText(socket, "not json", true);
    receiver.onText(socket, "{\"type\":\"done\"}", true);

    assertThat(live.next(LONG).orElseThrow().path("type").stringValue()).isEqualTo("done");
  }

  @Test
  void recordsTheCloseCodeAndStopsWaitingOnceClosed() {
    receiver.onText(socket, "{\"type\":\"error\",\"msg\":\"invalid token\"}", true);
    receiver.onClose(socket, 1000, "");

    assertThat(live.closeCode()).hasValue(1000);
    assertThat(live.awaitClose(SHORT)).hasValue(1000);
    assertThat(live.next(LONG).orElseThrow().path("msg").stringValue()).isEqualTo("invalid token");
    long start = System.nanoTime();
    assertThat(live.next(LONG)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void sendsUserEditsInTheProtocolShape() {
    live.userEdit("amount", 12.5);
    live.userEdit("note", null);

    assertThat(socket.sent)
        .containsExactly(
            "{\"type\":\"userEdit\",\"key\":\"amount\",\"value\":12.5}",
            "{\"type\":\"userEdit\",\"key\":\"note\",\"value\":null}");
  }

  @Test
  void closeSendsNormalClosure() {
    receiver.onClose(socket, 1000, ""); // the server answers at once

    live.close();

    assertThat(socket.closeCodes).containsExactly(WebSocket.NORMAL_CLOSURE);
    assertThat(socket.aborted).isTrue();
  }

  @Test
  void refusesToSendBeforeTheSocketIsOpen() {
    LiveListener unopened = new LiveListener(LONG);

    assertThatThrownBy(() -> unopened.userEdit("k", "v")).isInstanceOf(IllegalStateException.class);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A socket that records what the listener sends and requests. */
  private static final class RecordingSocket implements WebSocket {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    volatile long requested;
    volatile boolean aborted;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      sent.add(data.toString());
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      closeCodes.add(statusCode);
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return !closeCodes.isEmpty();
    }

    @Override
    public boolean isInputClosed() {
      return false;
    }

    @Override
    public void abort() {
      aborted = true;
    }
  }
}
