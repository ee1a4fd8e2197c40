package dev.handshake.audit.tsa;

import dev.handshake.audit.AuditEvent;
import dev.handshake.crypto.Sha256;
import dev.handshake.json.PythonJson;
import java.util.HexFormat;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a token's SHA-256 messageImprint must equal.
 *
 * <p><b>Ours:</b> the event hash itself — the 32 bytes of SHA-256 over the event's canonical
 * signing input (the event without {@code signature}, aiss.md §2.2). The TSA is sent that digest,
 * so the hashed message is the signing input and the imprint is exactly the value that {@code
 * previous_hash}, the transparency log and the sidecar key name: a stored token is checkable
 * from the sidecar alone, and anchoring one event anchors every earlier event of its chain
 * through the hash links.
 *
 * <p><b>The reference's</b> (aiss.md §2.7): SHA-256 of the canonical form of the <em>full</em>
 * event including its {@code signature}, taken before {@code trusted_timestamp} was added (for
 * AISS-2, with the signed pending placeholder still in place).
 */
public final class EventImprint {
  private static final Pattern EVENT_HASH = Pattern.compile("[0-9a-f]{64}");

  private EventImprint() {}

  /** The imprint our tokens carry: the decoded event hash. */
  public static byte[] ofEventHash(String eventHash) {
    requireEventHash(eventHash);
    return HexFormat.of().parseHex(eventHash);
  }

  /** The reference's imprint of {@code event} with {@code trusted_timestamp} removed. */
  public static byte[] referenceWithoutTimestamp(AuditEvent event) {
    ObjectNode json = event.json();
    json.remove(TimestampVerifier.TRUSTED_TIMESTAMP);
    return Sha256.digest(PythonJson.canonicalize(json));
  }

  /**
   * The reference's imprint of an AISS-2 {@code event} whose signed pending placeholder {@code
   * {"status":"pending","rfc3161_token":null,"tsa_id":null,"timestamp":null}} was replaced: the
   * TSA was asked to stamp the event as signed, placeholder included.
   */
  public static byte[] referenceWithPendingPlaceholder(AuditEvent event) {
    ObjectNode json = event.json();
    ObjectNode placeholder = json.putObject(TimestampVerifier.TRUSTED_TIMESTAMP);
    placeholder.put("status", "pending");
    placeholder.putNull("rfc3161_token");
    placeholder.putNull("tsa_id");
    placeholder.putNull("timestamp");
    return Sha256.digest(PythonJson.canonicalize(json));
  }

  static void requireEventHash(String eventHash) {
    if (!EVENT_HASH.matcher(eventHash).matches()) {
      throw new IllegalArgumentException("not a lowercase hex SHA-256 event hash: " + eventHash);
    }
  }
}
