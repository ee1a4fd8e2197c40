/**
 * Device and agent pairing (pairing.md §2.4, §3.2 rule 7): a device proves its Ed25519 key by
 * signing a server nonce, an operator approves it for roles and scopes, and the gateway issues it
 * per-role tokens that are hashed at rest, rotatable and revocable.
 *
 * <p>{@link dev.handshake.pairing.device.DevicePairing} ties it together for a transport adapter:
 * {@link dev.handshake.pairing.device.DeviceAuth} checks the signed connect proof against the
 * single-use nonces of a {@link dev.handshake.pairing.device.ChallengeStore}, and {@link
 * dev.handshake.pairing.device.DeviceStore} (memory or the SQLite file {@code pairing-devices.db},
 * built by {@link dev.handshake.pairing.device.DeviceStores}) holds requests, paired devices,
 * tokens, bootstrap (setup/QR) tokens and events. See docs/PAIRING.md, "Devices and agents".
 */
@NullMarked
package dev.handshake.pairing.device;

import org.jspecify.annotations.NullMarked;
