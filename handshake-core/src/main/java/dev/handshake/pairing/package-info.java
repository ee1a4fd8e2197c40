/**
 * Pairing (pairing.md): unknown chat senders, devices and agents ask for access; an owner approves
 * or denies; grants can be listed and revoked.
 *
 * <p>{@link dev.handshake.pairing.PairingStore} is the one approval service behind every surface
 * (CLI, admin HTTP, chat buttons, the RFC 8628 device flow). {@link
 * dev.handshake.pairing.PairingStores} builds it over memory or the embedded SQLite file that the
 * server and the CLI share. Codes are {@link dev.handshake.pairing.PairingCode}s, stored only as an
 * HMAC under the server's {@link dev.handshake.pairing.Pepper}. See docs/PAIRING.md.
 */
@NullMarked
package dev.handshake.pairing;

import org.jspecify.annotations.NullMarked;
