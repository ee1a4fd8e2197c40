/**
 * ZIP files for exchanged bundles: {@link dev.handshake.zip.DeterministicZip} writes the same bytes
 * for the same members, {@link dev.handshake.zip.BoundedZip} reads untrusted archives entirely in
 * memory within {@link dev.handshake.zip.ZipLimits} (no zip bombs, no ambiguous or overlapping
 * entries, nothing extracted to disk).
 */
@NullMarked
package dev.handshake.zip;

import org.jspecify.annotations.NullMarked;
