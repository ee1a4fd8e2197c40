package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WsConnectionTest {
  private static RequestInfo request(Optional<String> token, String query) {
    return RequestInfo.of(
        name -> name.equalsIgnoreCase("X-Handshake-Token") ? token.orElse(null) : null,
        query,
        "127.0.0.1");
  }

  @Test
  void anAgentActingTheMomentItSeesConnectedStillGetsItsDonePush() {
    try (SessionEngine engine =
        SessionEngine.builder().config(SessionConfig.reference()).build()) {
      var created = Json.tryParse(engine.create(Json.object(), request(Optional.empty(), "")).body()).orElseThrow();
      String sid = created.get("sessionId").stringValue();
      String token = created.get("token").stringValue();
      List<String> received = new CopyOnWriteArrayList<>();
      WsConnection.Peer peer =
          new WsConnection.Peer() {
            @Override
            public void send(String text) {
              received.add(text);
              if (text.contains("\"connected\"")) {
                var body = Json.object();
                body.putArray("actions").addObject().put("key", "k").put("value", 1);
                engine.action(sid, body, request(Optional.of(token), "")).join();
              }
            }

            @Override
            public void close(int code) {}
          };

      engine.connect(sid, request(Optional.empty(), "token=" + token), peer);

      assertThat(received).as("pushes after connected").hasSize(3);
      assertThat(received.get(0)).contains("\"connected\"");
      assertThat(received.get(1)).as("the action push is held until connected is out").contains("\"action\"");
      assertThat(received.get(2)).contains("\"done\"");
    }
  }
}
