/** The {@code handshake} command line (picocli). */
@NullMarked
package dev.handshake.server.cli;

import org.jspecify.annotations.NullMarked;
