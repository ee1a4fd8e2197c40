/**
 * Who is calling: {@link dev.handshake.pairing.auth.AuthProtocol} turns a request's credentials
 * into a {@link dev.handshake.pairing.auth.Principal} (RFC 6750 bearer tokens, header only),
 * {@link dev.handshake.pairing.auth.OperatorTokens} are the admin credentials with scopes, and
 * {@link dev.handshake.pairing.auth.SessionBinding} ties a session to the principal that created
 * it (pairing.md §2.2 contracts, §3.2 rule 8).
 */
@NullMarked
package dev.handshake.pairing.auth;

import org.jspecify.annotations.NullMarked;
