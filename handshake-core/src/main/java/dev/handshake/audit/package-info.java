/**
 * Audit: AISS (PiQrypt) signed, hash-chained event logs, their exports and verification, the
 * agent-to-agent handshake and multi-agent sessions (aiss.md). Start with {@link
 * dev.handshake.audit.AgentChain} to stamp events, {@link dev.handshake.audit.ChainVerifier} to
 * check them and {@link dev.handshake.audit.AuditExport} to exchange them with the reference.
 * The Merkle transparency log lives in {@code dev.handshake.audit.log}.
 */
@NullMarked
package dev.handshake.audit;

import org.jspecify.annotations.NullMarked;
