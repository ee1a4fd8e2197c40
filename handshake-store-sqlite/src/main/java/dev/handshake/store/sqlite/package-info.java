/**
 * Every durable store SPI on embedded SQLite in WAL mode: the zero-configuration default of
 * {@code handshake serve}, one owner-only file per store in the data folder. Start at
 * {@link dev.handshake.store.sqlite.SqliteStores}; docs/STORES.md lists the files.
 */
@NullMarked
package dev.handshake.store.sqlite;

import org.jspecify.annotations.NullMarked;
