/**
 * Handshake's shared state on Redis, for running several server nodes: sessions ({@link
 * dev.handshake.store.redis.RedisSessionStore}), rate limits ({@link
 * dev.handshake.store.redis.RedisRateLimiter}), delegation replay memory ({@link
 * dev.handshake.store.redis.RedisReplayStore}), the session event bus ({@link
 * dev.handshake.store.redis.RedisSessionEventBus}), relay routing between nodes ({@link
 * dev.handshake.store.redis.RedisRelayRouter}) and pairing ({@link
 * dev.handshake.store.redis.RedisPairingTables}, {@link
 * dev.handshake.store.redis.RedisDeviceTables}, {@link
 * dev.handshake.store.redis.RedisDeviceFlowStore}, {@link
 * dev.handshake.store.redis.RedisAccessTokenStore}), all over one {@link
 * dev.handshake.store.redis.RedisConnection}. Key layout and limits: docs/STORES.md.
 */
@NullMarked
package dev.handshake.store.redis;

import org.jspecify.annotations.NullMarked;
