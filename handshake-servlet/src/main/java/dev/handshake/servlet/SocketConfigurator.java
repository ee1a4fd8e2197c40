package dev.handshake.servlet;

import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The handshake side of {@link HandshakeEndpoint}: captures what the engine reads of the upgrade
 * request (headers, query, client address), selects sub-protocol {@code hpp} when offered
 * (hpp.md §3 item 4: the token may travel as {@code hpp.token.<T>}), and creates one endpoint per
 * socket.
 */
final class SocketConfigurator extends ServerEndpointConfig.Configurator {
  static final String SID = "dev.handshake.servlet.sid";
  /** The client address, put by the upgrade servlet: the handshake API does not expose it. */
  static final String ADDRESS = "dev.handshake.servlet.address";
  static final String REQUEST = "dev.handshake.servlet.request";

  private final SessionEngine engine;
  private final ScheduledExecutorService timer;
  private final Executor closer;

  SocketConfigurator(SessionEngine engine, ScheduledExecutorService timer, Executor closer) {
    this.engine = engine;
    this.timer = timer;
    this.closer = closer;
  }

  /** Every origin upgrades; the engine then applies {@code wsAllowedOrigins} (hpp.md §2.5). */
  @Override
  public boolean checkOrigin(String originHeaderValue) {
    return true;
  }

  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    return requested.contains(WsConnection.PROTOCOL) ? WsConnection.PROTOCOL : "";
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig perSocket, HandshakeRequest request, HandshakeResponse response) {
    Map<String, Object> props = perSocket.getUserProperties();
    String address = props.get(ADDRESS) instanceof String a ? a : "";
    props.put(
        REQUEST, RequestSnapshot.of(request.getHeaders(), request.getQueryString(), address));
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) {
    return endpointClass.cast(new HandshakeEndpoint(engine, timer, closer));
  }
}
