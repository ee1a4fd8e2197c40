package dev.handshake.server.http;

import dev.handshake.audit.http.AuditHttpApi;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.server.ServerConfig;
import dev.handshake.session.HppResponse;
import dev.handshake.session.http.HppHttpApi;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP pipeline: codec, keep-alive, a bounded aggregator that answers oversized bodies with
 * our JSON 413, then {@link HttpRequestHandler}. Connections past the configured cap are closed.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerConfig config;
  private final HppHttpApi api;
  private final @Nullable AuditHttpApi audit;
  private final @Nullable DelegationHttpApi delegation;
  private final java.util.List<ExtraRoutes> extras;
  private final dev.handshake.pairing.http.@Nullable PairingEventFeed feed;
  private final AtomicInteger open = new AtomicInteger();

  public HttpChannelInitializer(ServerConfig config, HppHttpApi api) {
    this(config, api, null);
  }

  /** With {@code audit}, requests under {@code /v1/audit} go to it. */
  public HttpChannelInitializer(ServerConfig config, HppHttpApi api, @Nullable AuditHttpApi audit) {
    this(config, api, audit, null);
  }

  /** With {@code delegation}, requests under {@code /delegation} go to it. */
  public HttpChannelInitializer(
      ServerConfig config,
      HppHttpApi api,
      @Nullable AuditHttpApi audit,
      @Nullable DelegationHttpApi delegation) {
    this(config, api, audit, delegation, java.util.List.of(), null);
  }

  /**
   * With {@code extras}, requests for their paths go to them (off the event loop); with {@code
   * feed}, the operator event socket is served.
   */
  public HttpChannelInitializer(
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
  protected void initChannel(SocketChannel ch) {
    if (open.incrementAndGet() > config.maxConnections()) {
      open.decrementAndGet();
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    int pending = config.sessions().wsMaxPendingBytes();
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(pending / 2, pending));
    ChannelPipeline p = ch.pipeline();
    p.addLast("codec", new HttpServerCodec(8192, 16 * 1024, 8192));
    p.addLast("keepalive", new HttpServerKeepAliveHandler());
    p.addLast("aggregator", new JsonLimitAggregator(config.sessions().maxBodyBytes()));
    p.addLast("handler", new HttpRequestHandler(config, api, audit, delegation, extras, feed));
  }

  /** An aggregator whose oversize answer is JSON, as every error must be (hpp.md §3 item 6). */
  private static final class JsonLimitAggregator extends HttpObjectAggregator {
    JsonLimitAggregator(int max) {
      super(max);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      HppResponse tooLarge = HppResponse.error(413, "request body too large");
      if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
        HttpRequestHandler.writeAndClose(ctx, tooLarge);
        return;
      }
      // Keep the connection: the aggregator discards the rest of the body, so the client reads
      // our 413 instead of a reset (closing mid-upload loses the answer).
      ctx.writeAndFlush(HttpRequestHandler.toNetty(tooLarge));
    }
  }
}
