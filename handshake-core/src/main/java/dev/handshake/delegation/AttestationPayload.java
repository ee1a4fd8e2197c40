package dev.handshake.delegation;

import dev.handshake.crypto.Sha256;
import dev.handshake.json.PythonJson;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules for a JSON object an execution attestation covers — the {@code result} of a task and
 * the optional {@code reason} — and its hash (trusthandoff.md §2.12 [0.3.1]).
 *
 * <p>The hash is SHA-256 of Python's {@code json.dumps(value, sort_keys=True, separators=(",",
 * ":"), ensure_ascii=False)}: keys sorted by code point at every level, no whitespace, strings as
 * raw UTF-8 ({@link PythonJson#canonicalize}). Floats are refused because their text is whatever
 * one Python version prints; integers of any size are fine.
 *
 * <pre>{@code
 * AttestationPayload.requireValid(result);           // IllegalArgumentException if not attestable
 * String outcomeHash = AttestationPayload.hash(result); // 64 lowercase hex digits
 * }</pre>
 */
public final class AttestationPayload {
  /** The largest canonical JSON the reference attests: 256 KiB. */
  public static final int MAX_CANONICAL_BYTES = 256 * 1024;

  /** Keys a result must not contain: they would be confused with the adapter's envelope. */
  public static final Set<String> RESERVED_KEYS = Set.of("packet_id", "attestation", "__control__");

  /** The reference gives up on values nested deeper than this (the root object is depth 0). */
  public static final int MAX_DEPTH = 100;

  private AttestationPayload() {}

  /**
   * Refuses {@code payload} unless the reference would attest it: a JSON object (whose keys are
   * strings by construction), none of {@link #RESERVED_KEYS} at the top level, only objects,
   * arrays, strings, integers, booleans and null (no floats), at most {@link #MAX_DEPTH} deep and
   * at most {@link #MAX_CANONICAL_BYTES} of canonical JSON.
   *
   * @throws IllegalArgumentException naming the first rule broken
   */
  public static void requireValid(JsonNode payload) {
    if (!payload.isObject()) {
      throw new IllegalArgumentException("an attested payload must be a JSON object");
    }
    for (String key : payload.propertyNames()) {
      if (RESERVED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "reserved key not allowed in an attested payload: " + key);
      }
    }
    if (canonicalBytes(payload).length > MAX_CANONICAL_BYTES) {
      throw new IllegalArgumentException(
          "attested payload exceeds " + MAX_CANONICAL_BYTES + " bytes of canonical JSON");
    }
  }

  /**
   * The canonical UTF-8 bytes of {@code value} (see the class comment).
   *
   * @throws IllegalArgumentException for a float, a node that is not JSON data, nesting deeper than
   *     {@link #MAX_DEPTH} or a lone surrogate (which has no UTF-8 bytes to hash)
   */
  public static byte[] canonicalBytes(JsonNode value) {
    requireIntegralJson(value, 0, "$");
    return PythonJson.canonicalize(value);
  }

  /** Lowercase hex SHA-256 of {@link #canonicalBytes}: the {@code outcome_hash} of a result. */
  public static String hash(JsonNode value) {
    return Sha256.hex(canonicalBytes(value));
  }

  private static void requireIntegralJson(JsonNode value, int depth, String path) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "attested payload is nested deeper than " + MAX_DEPTH + " at " + path);
    }
    switch (value.getNodeType()) {
      case OBJECT -> {
        for (Map.Entry<String, JsonNode> member : value.properties()) {
          requireIntegralJson(member.getValue(), depth + 1, path + "." + member.getKey());
        }
      }
      case ARRAY -> {
        for (int i = 0; i < value.size(); i++) {
          requireIntegralJson(value.get(i), depth + 1, path + "[" + i + "]");
        }
      }
      case STRING, BOOLEAN, NULL -> {}
      case NUMBER -> {
        if (!value.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "floats are forbidden in attested payloads (at " + path + ")");
        }
      }
      // Float text kept verbatim by CanonicalJson.parseKeepingFloatText arrives as a POJO node.
      default ->
          throw new IllegalArgumentException(
              "floats and non-JSON values are forbidden in attested payloads (at " + path + ")");
    }
  }
}
