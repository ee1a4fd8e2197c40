/**
 * Java client for the keep-protocol 0.3.0 relay (keep.md §2, §2.12, §3 item 12): {@link
 * dev.handshake.client.relay.RelayClient} signs and frames packets, correlates replies by packet
 * {@code id}, verifies the signatures of received packets and filters heartbeats.
 *
 * <pre>{@code
 * try (RelayClient alice = RelayClient.builder().src("bot:alice").port(9009).build()) {
 *   alice.connect();
 *   alice.listen(p -> System.out.println(p.src() + ": " + p.body()));
 *   alice.send("bot:bob", "hello");
 * }
 * }</pre>
 */
@NullMarked
package dev.handshake.client.relay;

import org.jspecify.annotations.NullMarked;
