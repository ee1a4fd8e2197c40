/**
 * RFC 3161 trusted timestamps for AISS events (aiss.md §2.7 "RFC 3161", §3 item 9, §4 item 26):
 * a {@link dev.handshake.audit.tsa.TsaClient} that asks a time-stamping authority to anchor an
 * event hash and verifies the answer completely, a sidecar {@link
 * dev.handshake.audit.tsa.TimestampStore} keyed by event hash (a token is never written into a
 * signed event), a {@link dev.handshake.audit.tsa.TimestampVerifier} that re-checks stored tokens
 * offline and the reference's embedded {@code trusted_timestamp} tokens, and {@link
 * dev.handshake.audit.tsa.TimestampAnchors} for canonical-branch selection after a fork.
 * docs/TIMESTAMPS.md explains the rules.
 */
@NullMarked
package dev.handshake.audit.tsa;

import org.jspecify.annotations.NullMarked;
