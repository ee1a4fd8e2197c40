/** The Handshake server: Netty transports around the core engines, and its configuration. */
@NullMarked
package dev.handshake.server;

import org.jspecify.annotations.NullMarked;
