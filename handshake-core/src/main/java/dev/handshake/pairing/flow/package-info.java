/**
 * Pairing as an OAuth device authorization grant (RFC 8628; pairing.md §2.6, §3.2 rule 10) and the
 * bearer tokens it issues, with no transport: the server's HTTP adapter turns form posts into
 * {@link dev.handshake.pairing.flow.DeviceFlow#start} and {@link
 * dev.handshake.pairing.flow.DeviceFlow#poll} calls and their results into JSON.
 *
 * <p>Approving the flow's pairing request — by code or id, from the CLI, the admin API or a chat
 * button, through the one {@link dev.handshake.pairing.PairingStore} — is the consent step.
 * {@link dev.handshake.pairing.flow.AccessTokens} holds the issued tokens, valid only while the
 * grant they came from is active. Flow state and tokens are kept through two small SPIs, {@link
 * dev.handshake.pairing.flow.DeviceFlowStore} and {@link
 * dev.handshake.pairing.flow.AccessTokenStore}, in memory or in {@code pairing-flow.db} ({@link
 * dev.handshake.pairing.flow.FlowStores}). See docs/PAIRING.md.
 */
@NullMarked
package dev.handshake.pairing.flow;

import org.jspecify.annotations.NullMarked;
