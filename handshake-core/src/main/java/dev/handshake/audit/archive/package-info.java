/**
 * Portable {@code .pqz} archives of an agent's chain (aiss.md §2.7, §3 item 10): {@link
 * dev.handshake.audit.archive.PqzArchive} reads the reference's archives and ours through the
 * bounded, traversal-safe {@link dev.handshake.zip.BoundedZip} (within {@link
 * dev.handshake.audit.archive.ArchiveLimits}); {@link dev.handshake.audit.archive.PqzWriter} writes
 * archives a reference reader opens, plus the agent's identity and a signed chain head; {@link
 * dev.handshake.audit.archive.ArchiveVerifier} checks checksum, index, metadata and, through {@link
 * dev.handshake.audit.ChainVerifier}, every signature, link and the head.
 */
@NullMarked
package dev.handshake.audit.archive;

import org.jspecify.annotations.NullMarked;
