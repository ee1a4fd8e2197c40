package dev.handshake.server.http;

import dev.handshake.audit.http.AuditHttpApi;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.server.ServerConfig;
import dev.handshake.session.HppResponse;
import dev.handshake.session.QueryStrings;
import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import dev.handshake.session.http.HppHttpApi;
import dev.handshake.session.http.HttpApiRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each aggregated HTTP request into a call on the HPP API (or the audit or delegation
 * endpoints, a WebSocket upgrade, or the demo page) and the result back into a Netty response.
 * One request is in flight per connection: reading pauses until its response is written, so
 * pipelined responses stay in order.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);
  private final ServerConfig config;
  private final HppHttpApi api;
  private final @Nullable AuditHttpApi audit;
  private final @Nullable DelegationHttpApi delegation;
  private final java.util.List<ExtraRoutes> extras;
  private final dev.handshake.pairing.http.@Nullable PairingEventFeed feed;

  HttpRequestHandler(
      ServerConfig config,
      HppHttpApi api,
      @Nullable AuditHttpApi audit,
      @Nullable DelegationHttpApi delegation,
      java.util.List<ExtraRoutes> extras,
      dev.handshake.pairing.http.@Nullable PairingEventFeed feed) {
    this.feed = feed;
    this.config = config;
    this.api = api;
    this.audit = audit;
    this.delegation = delegation;
    this.extras = java.util.List.copyOf(extras);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      writeAndClose(ctx, HppResponse.error(400, "malformed request"));
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String rawQuery = q >= 0 ? uri.substring(q + 1) : null;
    String path;
    try {
      path = QueryStringDecoder.decodeComponent(q >= 0 ? uri.substring(0, q) : uri);
    } catch (IllegalArgumentException e) {
      writeAndClose(ctx, HppResponse.error(400, "malformed request"));
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {}", req.method(), QueryStrings.redactTokens(uri));
    }
    if (feed != null && path.equals(dev.handshake.pairing.http.PairingEventFeed.PATH)) {
      upgradeFeed(ctx, req, rawQuery);
      return;
    }
    Optional<String> wsSid = api.webSocketSession(path);
    if (wsSid.isPresent() && isUpgrade(req.headers())) {
      upgrade(ctx, req, wsSid.get(), rawQuery);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (audit != null && audit.handles(path)) {
      // Reads of the SQLite-backed log block briefly: keep them off the event loop.
      String method = req.method().name();
      offLoop(ctx, keepAlive, () -> audit.handle(method, path, rawQuery), "audit log unavailable");
      return;
    }
    if (delegation != null && delegation.handles(path)) {
      // The replay store and the audit receipts may block on SQLite: keep them off the event loop.
      String method = req.method().name();
      byte[] body = ByteBufUtil.getBytes(req.content());
      offLoop(
          ctx,
          keepAlive,
          () -> delegation.handle(method, path, rawQuery, body),
          "delegation service unavailable");
      return;
    }
    for (ExtraRoutes extra : extras) {
      if (extra.handles(path)) {
        HttpApiRequest extraReq =
            new HttpApiRequest(
                req.method().name(),
                path,
                rawQuery,
                req.headers()::get,
                ByteBufUtil.getBytes(req.content()),
                clientAddress(ctx));
        offLoop(ctx, keepAlive, () -> extra.handle(extraReq), "service unavailable");
        return;
      }
    }
    if (api.handles(path)) {
      HttpApiRequest apiReq =
          new HttpApiRequest(
              req.method().name(),
              path,
              rawQuery,
              req.headers()::get,
              ByteBufUtil.getBytes(req.content()),
              clientAddress(ctx));
      if (api.engine().storeIsRemote()) {
        // a shared store (Redis) may wait up to its timeout: never on the event loop
        offLoop(ctx, keepAlive, () -> api.handle(apiReq).join(), "session store unavailable; retry shortly");
        return;
      }
      var future = api.handle(apiReq);
      if (future.isDone()) {
        write(ctx, future.join(), keepAlive);
      } else {
        ctx.channel().config().setAutoRead(false);
        future.whenComplete(
            (resp, err) ->
                ctx.executor()
                    .execute(
                        () -> {
                          write(ctx, resp, keepAlive);
                          ctx.channel().config().setAutoRead(true);
                        }));
      }
      return;
    }
    write(ctx, StaticPages.serve(path, req.method().name(), config), keepAlive);
  }

  /**
   * Where calls that may block (SQLite, Redis, PostgreSQL) run: a virtual thread each, so a slow
   * store never holds an event loop or the small common pool (one thread on two cores). The
   * WebSocket handler runs its remote-store calls here too.
   */
  static final java.util.concurrent.Executor BLOCKING =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  /** Runs {@code call} on a virtual thread, pausing reads until its answer is written. */
  private static void offLoop(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      java.util.function.Supplier<HppResponse> call,
      String unavailable) {
    ctx.channel().config().setAutoRead(false);
    java.util.concurrent.CompletableFuture.supplyAsync(call, BLOCKING)
        .exceptionally(e -> HppResponse.error(503, unavailable))
        .thenAccept(
            resp ->
                ctx.executor()
                    .execute(
                        () -> {
                          write(ctx, resp, keepAlive);
                          ctx.channel().config().setAutoRead(true);
                        }));
  }

  private static boolean isUpgrade(HttpHeaders h) {
    return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String sid, String rawQuery) {
    String subprotocols = null;
    String offered = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (offered != null) {
      for (String p : offered.split(",")) {
        if (p.trim().equals(WsConnection.PROTOCOL)) {
          subprotocols = WsConnection.PROTOCOL;
        }
      }
    }
    WebSocketServerHandshakerFactory factory =
        new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + req.uri(), subprotocols, false, 64 * 1024);
    WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    Map<String, String> headers = new java.util.HashMap<>();
    req.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    String address = clientAddress(ctx);
    RequestInfo info =
        RequestInfo.of(name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)), rawQuery, address);
    SessionEngine engine = api.engine();
    handshaker
        .handshake(ctx.channel(), req)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    f.channel().close();
                    return;
                  }
                  var p = f.channel().pipeline();
                  p.remove(this);
                  long idle = config.sessions().heartbeatInterval().toMillis();
                  p.addLast(new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS));
                  // a remote store (Redis) may wait up to its timeout: never on the event loop
                  WebSocketFrameHandler frames =
                      new WebSocketFrameHandler(handshaker, engine.storeIsRemote());
                  p.addLast(frames);
                  var ch = f.channel();
                  frames.open(ch, () -> engine.connect(sid, info, frames.peer(ch)));
                });
  }

  /** The operator event socket: authenticated on the upgrade request, then events only. */
  private void upgradeFeed(ChannelHandlerContext ctx, FullHttpRequest req, @Nullable String rawQuery) {
    dev.handshake.pairing.http.PairingEventFeed f = java.util.Objects.requireNonNull(feed);
    if (!isUpgrade(req.headers())) {
      writeAndClose(ctx, HppResponse.error(400, "this endpoint is a WebSocket"));
      return;
    }
    dev.handshake.pairing.auth.AuthRequest auth = new dev.handshake.pairing.auth.AuthRequest(
        name -> Optional.ofNullable(req.headers().get(name)), Optional.ofNullable(rawQuery),
        clientAddress(ctx));
    var admission = f.admit(auth);
    if (admission instanceof dev.handshake.pairing.http.PairingEventFeed.Admission.Refused r) {
      writeAndClose(ctx, r.response());
      return;
    }
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "ws://" + req.headers().get(HttpHeaderNames.HOST) + req.uri(), null, false, 4096)
        .newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    handshaker.handshake(ctx.channel(), req).addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        done.channel().close();
        return;
      }
      var ch = done.channel();
      dev.handshake.pairing.http.PairingEventFeed.Peer peer =
          new dev.handshake.pairing.http.PairingEventFeed.Peer() {
            @Override
            public void send(String text) {
              if (!ch.isActive()) {
                return;
              }
              if (!ch.isWritable()) {
                ch.close(); // slow operator client: drop it rather than queue without bound
                return;
              }
              ch.writeAndFlush(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(text));
            }

            @Override
            public void close(int code, String reason) {
              if (ch.isActive()) {
                ch.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(code, reason))
                    .addListener(ChannelFutureListener.CLOSE);
              }
            }
          };
      ch.pipeline().remove(this);
      ch.pipeline().addLast(new FeedFrames(handshaker, f, peer));
      switch (admission) {
        case dev.handshake.pairing.http.PairingEventFeed.Admission.CloseAfterUpgrade c ->
            peer.close(c.code(), c.reason());
        case dev.handshake.pairing.http.PairingEventFeed.Admission.Admitted a -> f.subscribe(a, peer);
        default -> ch.close();
      }
    });
  }

  /** Frames of an operator event socket: pings answered, closes honoured, text ignored. */
  private static final class FeedFrames
      extends SimpleChannelInboundHandler<io.netty.handler.codec.http.websocketx.WebSocketFrame> {
    private final WebSocketServerHandshaker handshaker;
    private final dev.handshake.pairing.http.PairingEventFeed feed;
    private final dev.handshake.pairing.http.PairingEventFeed.Peer peer;

    FeedFrames(WebSocketServerHandshaker handshaker, dev.handshake.pairing.http.PairingEventFeed feed,
        dev.handshake.pairing.http.PairingEventFeed.Peer peer) {
      this.handshaker = handshaker;
      this.feed = feed;
      this.peer = peer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx,
        io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
      switch (frame) {
        case io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close ->
            handshaker.close(ctx.channel(), close.retain());
        case io.netty.handler.codec.http.websocketx.PingWebSocketFrame ping ->
            ctx.writeAndFlush(new io.netty.handler.codec.http.websocketx.PongWebSocketFrame(ping.content().retain()));
        default -> {}
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      feed.unsubscribe(peer);
      super.channelInactive(ctx);
    }
  }

  static String clientAddress(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }

  static FullHttpResponse toNetty(HppResponse r) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            Unpooled.wrappedBuffer(r.body()));
    HttpHeaders h = resp.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    r.headers().forEach(h::set);
    return resp;
  }

  private static void write(ChannelHandlerContext ctx, HppResponse r, boolean keepAlive) {
    FullHttpResponse resp = toNetty(r);
    HttpUtil.setKeepAlive(resp, keepAlive);
    var f = ctx.writeAndFlush(resp);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  static void writeAndClose(ChannelHandlerContext ctx, HppResponse r) {
    FullHttpResponse resp = toNetty(r);
    HttpUtil.setKeepAlive(resp, false);
    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error: {}", cause.toString());
    ctx.close();
  }
}
