/**
 * Authority statements (aiss.md §4 item 10; the reference's "authority binding layer"): an
 * authority signs that a subject may act within a scope for a period, possibly through a chain
 * authority → sub-authority → agent. Issue with {@link
 * dev.handshake.audit.authority.AuthorityStatement}, check a chain with {@link
 * dev.handshake.audit.authority.AuthorityVerifier} against an {@link
 * dev.handshake.audit.authority.AuthorityTrust}; the answer is an {@link
 * dev.handshake.audit.authority.AuthorityVerdict}. docs/CERTIFICATION.md describes the format.
 */
@NullMarked
package dev.handshake.audit.authority;

import org.jspecify.annotations.NullMarked;
