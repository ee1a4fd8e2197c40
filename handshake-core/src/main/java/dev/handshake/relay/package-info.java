/**
 * Relay: keep-protocol 0.3.0 (keep.md), Ed25519-signed protobuf {@code Packet}s exchanged between
 * agents through a server and routed by the sender's {@code src}. {@link
 * dev.handshake.relay.RelayEngine} is the transport-free engine (verification, identity table,
 * replay cache, discovery, heartbeats, statistics, admission limits); the Netty TCP listener in
 * handshake-server only frames bytes and calls it. {@link dev.handshake.relay.KeepPackets} holds
 * the wire rules shared by server and client (signing payload, framing, server replies). Several
 * nodes share identities through a {@link dev.handshake.relay.RelayRouter} given in a {@link
 * dev.handshake.relay.RelayCluster}.
 */
@NullMarked
package dev.handshake.relay;

import org.jspecify.annotations.NullMarked;
