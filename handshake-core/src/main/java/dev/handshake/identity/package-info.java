/**
 * Identities: the ids derived from an Ed25519 public key ({@link dev.handshake.identity.AgentIds},
 * {@link dev.handshake.identity.IdentityDocument}) and private key files, encrypted at rest by
 * default (aiss.md §3 item 13; formats in docs/IDENTITY.md).
 *
 * <p>{@link dev.handshake.identity.KeyFiles} is the one entry point for key files: it reads our
 * {@code handshake-key/2} (scrypt + AES-256-GCM, public parts in clear), the reference's 97-byte
 * PQKY file and plaintext {@code private.key.json} (aiss.md §2.1), our earlier plaintext {@code
 * handshake-ed25519/1} and bare hex seeds, and reports which it read; it writes ours by default and
 * the reference formats only on explicit request. Files are owner-only and never overwritten.
 * Secrets travel as {@link dev.handshake.identity.Passphrase} (a wipeable {@code char[]}), asked
 * for through a {@link dev.handshake.identity.PassphraseSource} only when a format needs one.
 */
@NullMarked
package dev.handshake.identity;

import org.jspecify.annotations.NullMarked;
