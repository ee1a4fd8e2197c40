package dev.handshake.audit;

import dev.handshake.crypto.Sha256;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * Payloads for an interaction with a peer that does not speak AISS, recorded unilaterally
 * (aiss.md §2.5). Ours hash the interaction data's canonical JSON and say so in {@code
 * interaction_hash_alg}; the reference's Python {@code json.dumps(sort_keys=True)} hash is kept
 * for matching reference-computed values (aiss.md §3 item 4).
 */
public final class ExternalInteraction {
  public static final String NOTE = "Peer does not implement AISS. Interaction recorded unilaterally.";
  public static final String HASH_ALG = "sha256-canonical";

  private ExternalInteraction() {}

  /** Our payload: interaction_hash = SHA-256 of the RFC 8785 form of {@code interaction}. */
  public static ObjectNode payload(String peerIdentifier, ObjectNode interaction) {
    ObjectNode p = base(peerIdentifier, Sha256.hex(PythonJson.canonicalize(interaction)));
    p.put("interaction_hash_alg", HASH_ALG);
    return p;
  }

  /** The reference's payload, hash over Python's {@code json.dumps(data, sort_keys=True)}. */
  public static ObjectNode referencePayload(String peerIdentifier, ObjectNode interaction) {
    return base(peerIdentifier, referenceHash(interaction));
  }

  public static String referenceHash(ObjectNode interaction) {
    return Sha256.hex(PythonJson.dumpsSortedAscii(interaction));
  }

  private static ObjectNode base(String peerIdentifier, String hash) {
    ObjectNode p = Json.object();
    p.put("event_type", "external_interaction");
    p.put("peer_identifier", peerIdentifier);
    p.put("piqrypt_available", false);
    p.put("interaction_hash", hash);
    p.put("note", NOTE);
    return p;
  }
}
