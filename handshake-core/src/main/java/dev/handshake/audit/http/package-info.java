/** Transport-free, read-only HTTP endpoints of an {@link dev.handshake.audit.AuditLedger}. */
@NullMarked
package dev.handshake.audit.http;

import org.jspecify.annotations.NullMarked;
