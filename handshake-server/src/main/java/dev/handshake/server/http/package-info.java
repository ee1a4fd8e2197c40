/**
 * The Netty HTTP and WebSocket adapter: it only translates between Netty objects and calls on
 * {@link dev.handshake.session.http.HppHttpApi} / {@link dev.handshake.session.SessionEngine}.
 */
@NullMarked
package dev.handshake.server.http;

import org.jspecify.annotations.NullMarked;
