package dev.handshake.audit.archive;

import dev.handshake.identity.PbkdfSealedBlob;

/** The {@code README.txt} of our archives: what the members are and how to check them. */
final class ArchiveReadme {
  private ArchiveReadme() {}

  static String text(String agentId, int eventCount, boolean encrypted) {
    String data =
        encrypted
            ? """
            data.enc         the events, encrypted: 32-byte salt, 12-byte nonce, AES-256-GCM
                             ciphertext and tag; key = PBKDF2-HMAC-SHA256(passphrase, salt,
                             %d iterations, 32 bytes); no associated data
            """
                .formatted(PbkdfSealedBlob.ITERATIONS)
            : """
            data.json        the events, a JSON array (AISS-1.0 signed, hash-chained events)
            """;
    return """
    Handshake audit archive (.pqz)

    Agent %s, %d events.

    Members
    %sindex.json       per event: offset, length, timestamp, event_type, the first 16 hex
                     digits of its hash and the first 8 characters of its nonce
                     (AISS-INDEX-1.0)
    metadata.json    agent, period, counts, encryption and archive_checksum (SHA-256 of
                     the data member; unkeyed, so it only catches accidents)
    identity.json    the agent's AISS identity: agent_id and its full Ed25519 public key
    chain-head.json  the agent's signed checkpoint (handshake-chain-head/1) of the last
                     archived event: count and hash, signed by the same key as the events

    Verify
      handshake audit verify-archive ARCHIVE.pqz [--passphrase-env VAR]
    checks every event signature against identity.json, the hash links, nonces and
    timestamps, the signed checkpoint (so dropped events are detected), the checksum,
    the index and the metadata. The layout is the PiQrypt archive layout, so PiQrypt's
    readers open it too; they check none of the signatures.
    """
        .formatted(agentId, eventCount, data.indent(0));
  }
}
