/**
 * ZIP files handed over by other people: {@link dev.handshake.zip.DeterministicZip} writes the same
 * bytes for the same members, {@link dev.handshake.zip.BoundedZip} — the one reader for untrusted
 * archives (certification bundles, {@code .pqz} archives) — reads them entirely in memory within
 * {@link dev.handshake.zip.ZipLimits}, with names checked under a {@link
 * dev.handshake.zip.ZipNames} policy (no zip bombs, no traversal, no ambiguous or overlapping
 * entries, nothing extracted to disk).
 */
@NullMarked
package dev.handshake.zip;

import org.jspecify.annotations.NullMarked;
