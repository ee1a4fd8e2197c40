/** Store SPIs shared by several capabilities, with their in-memory implementations. */
@NullMarked
package dev.handshake.store;

import org.jspecify.annotations.NullMarked;
