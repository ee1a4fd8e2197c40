/**
 * Handshake's shared state on Redis, for running several server nodes: sessions ({@link
 * dev.handshake.store.redis.RedisSessionStore}), rate limits ({@link
 * dev.handshake.store.redis.RedisRateLimiter}), delegation replay memory ({@link
 * dev.handshake.store.redis.RedisReplayStore}), the session event bus ({@link
 * dev.handshake.store.redis.RedisSessionEventBus}) and relay routing between nodes ({@link
 * dev.handshake.store.redis.RedisRelayRouter}), all over one {@link
 * dev.handshake.store.redis.RedisConnection}. Key layout and limits: docs/STORES.md.
 */
@NullMarked
package dev.handshake.store.redis;

import org.jspecify.annotations.NullMarked;
