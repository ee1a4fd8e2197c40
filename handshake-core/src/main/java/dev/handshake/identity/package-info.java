/**
 * Identities: Ed25519 key files and the ids derived from keys. Today a key file holds an
 * unencrypted seed (owner-only permissions); the Audit issue adds the encrypted format
 * (scrypt + AES-256-GCM) described in docs/IDENTITY.md and keeps reading this one.
 */
@NullMarked
package dev.handshake.identity;

import org.jspecify.annotations.NullMarked;
