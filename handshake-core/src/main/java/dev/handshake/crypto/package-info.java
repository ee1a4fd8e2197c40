/** Cryptographic foundations: random secrets, hashing at rest and constant-time comparison. */
@NullMarked
package dev.handshake.crypto;

import org.jspecify.annotations.NullMarked;
