package dev.handshake.pairing.device;

/**
 * A server challenge a device must sign before it may connect (OpenClaw's {@code connect.challenge
 * {nonce, ts}}, pairing.md §2.4). The nonce is not secret: it only has to be unpredictable and
 * used once.
 *
 * @param nonce 32 random bytes, unpadded base64url
 * @param ts when it was issued, in epoch milliseconds
 */
public record Challenge(String nonce, long ts) {}
