/**
 * The durable store SPIs on PostgreSQL, for deployments that run several server nodes over one
 * database: the audit log ({@link dev.handshake.store.postgres.PostgresAuditStore}), the
 * transparency log, trusted timestamps, delegation replay memory and pairing. Start with {@link
 * dev.handshake.store.postgres.PostgresDatabase#open}: one connection pool and the schema
 * migrations, shared by every store opened on it.
 */
@NullMarked
package dev.handshake.store.postgres;

import org.jspecify.annotations.NullMarked;
