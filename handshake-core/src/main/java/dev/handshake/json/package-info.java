/** JSON foundations shared by every capability: one configured mapper and Python-compatible truthiness. */
@NullMarked
package dev.handshake.json;

import org.jspecify.annotations.NullMarked;
