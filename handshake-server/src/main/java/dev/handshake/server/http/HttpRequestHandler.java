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

  HttpRequestHandler(
      ServerConfig config,
      HppHttpApi api,
      @Nullable AuditHttpApi audit,
      @Nullable DelegationHttpApi delegation,
      java.util.List<ExtraRoutes> extras) {
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

  /** Runs {@code call} on a pool thread, pausing reads until its answer is written. */
  private static void offLoop(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      java.util.function.Supplier<HppResponse> call,
      String unavailable) {
    ctx.channel().config().setAutoRead(false);
    java.util.concurrent.CompletableFuture.supplyAsync(call)
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
                  WebSocketFrameHandler frames = new WebSocketFrameHandler(handshaker);
                  p.addLast(frames);
                  frames.attach(engine.connect(sid, info, frames.peer(f.channel())));
                });
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
