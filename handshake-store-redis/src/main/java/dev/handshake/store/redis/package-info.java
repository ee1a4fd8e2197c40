/**
 * Handshake's shared state on Redis, for running several server nodes: sessions ({@link
 * dev.handshake.store.redis.RedisSessionStore}), rate limits ({@link
 * dev.handshake.store.redis.RedisRateLimiter}), delegation replay memory ({@link
 * dev.handshake.store.redis.RedisReplayStore}) and the session event bus ({@link
 * dev.handshake.store.redis.RedisSessionEventBus}), all over one {@link
 * dev.handshake.store.redis.RedisConnection}. Key layout and limits: docs/STORES.md.
 */
@NullMarked
package dev.handshake.store.redis;

import org.jspecify.annotations.NullMarked;
