/**
 * The keep-protocol TCP listener (keep.md §2.3): a Netty pipeline of {@link
 * dev.handshake.server.relay.FrameDecoder} (length prefix, limits, partial-frame deadlines) and
 * {@link dev.handshake.server.relay.RelayHandler} (hands payloads to the transport-free {@link
 * dev.handshake.relay.RelayEngine}); {@link dev.handshake.server.relay.NettyRelayPeer} is the one
 * bounded writer per connection.
 */
@NullMarked
package dev.handshake.server.relay;

import org.jspecify.annotations.NullMarked;
