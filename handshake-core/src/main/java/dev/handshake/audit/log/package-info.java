/**
 * An append-only Merkle transparency log (aiss.md §3 item 6): RFC 9162 hashing and proofs, a
 * durable leaf store, C2SP signed checkpoints with witness cosignatures, and offline proof bundles.
 *
 * <p>Start with {@link dev.handshake.audit.log.TransparencyLog} (append, roots, proofs), sign its
 * tree heads with {@link dev.handshake.audit.log.CheckpointSigner}, hand out {@link
 * dev.handshake.audit.log.ProofBundle}s, and verify them anywhere with a {@link
 * dev.handshake.audit.log.LogTrust}. docs/TRANSPARENCY-LOG.md explains the formats.
 */
@NullMarked
package dev.handshake.audit.log;

import org.jspecify.annotations.NullMarked;
