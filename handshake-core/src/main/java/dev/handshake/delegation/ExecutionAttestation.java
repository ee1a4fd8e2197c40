package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signed statement by the agent that ran a task: "packet {@code packetId} ended with {@code
 * status} and this outcome" (trusthandoff.md §2.12 [0.3.1]). The result itself is not inside; its
 * hash is, so a verifier needs the result that travelled beside the attestation.
 *
 * <p>The signed bytes ({@link #signedBytes()}) are {@code "TRUSTHANDOFF_EXEC_ATTEST_V3" 0x00 0x01}
 * and then each field preceded by its 4-byte big-endian length: {@code packet_id} (UTF-8), the
 * 32-byte outcome hash, {@code status} (UTF-8), the nonce as 16 bytes and the timestamp as 8 bytes
 * (both big-endian, unsigned), SHA-256 of the signer's raw 32-byte public key and, when present,
 * the 32-byte reason hash. The domain tag and version byte keep these bytes from being mistaken for
 * any other signed message.
 *
 * <p>Sign with {@link AttestationSigner}, check with {@link AttestationVerifier}; on the wire use
 * {@link #toJson()} and {@link #fromJson(JsonNode)}.
 *
 * @param outcomeHash lowercase hex SHA-256 of the result's canonical JSON ({@link
 *     AttestationPayload#hash})
 * @param nonce 128-bit unsigned random number; verifiers remember {@code (fingerprint, nonce)}
 * @param timestampMs Unix milliseconds at signing (unsigned 64-bit on the wire; we hold a {@code
 *     long}, which covers every plausible clock)
 * @param signedBy the signer's agent id, informational: nothing binds it to the key
 * @param agentPubkeyFingerprint lowercase hex SHA-256 of the signer's raw public key
 * @param signature Ed25519 signature over {@link #signedBytes()}, base64url without padding
 * @param reasonHash lowercase hex SHA-256 of the optional reason object's canonical JSON
 */
public record ExecutionAttestation(
    String packetId,
    Status status,
    String outcomeHash,
    BigInteger nonce,
    long timestampMs,
    String signedBy,
    String agentPubkeyFingerprint,
    String signature,
    Optional<String> reasonHash) {

  /** The outcomes an attestation can state, spelled as on the wire. */
  public enum Status {
    OK,
    ERROR,
    PARTIAL,
    REJECTED,
    TIMEOUT
  }

  /** The domain tag: the ASCII text, a 0x00 separator, then the format version 0x01. */
  private static final byte[] PREFIX = domainPrefix();

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  static final BigInteger NONCE_LIMIT = BigInteger.ONE.shiftLeft(128);

  /** The reference's model fields, in declaration order (also the order {@link #toJson} writes). */
  private static final Set<String> FIELDS =
      Set.of(
          "packet_id",
          "status",
          "outcome_hash",
          "nonce",
          "timestamp_ms",
          "signed_by",
          "agent_pubkey_fingerprint",
          "signature",
          "reason_hash");

  /** Checks what the reference model's field patterns and bounds check. */
  public ExecutionAttestation {
    requireHash(outcomeHash, "outcome_hash");
    requireHash(agentPubkeyFingerprint, "agent_pubkey_fingerprint");
    reasonHash.ifPresent(h -> requireHash(h, "reason_hash"));
    if (nonce.signum() < 0 || nonce.compareTo(NONCE_LIMIT) >= 0) {
      throw new IllegalArgumentException("nonce must be an unsigned 128-bit integer");
    }
    if (timestampMs < 0) {
      throw new IllegalArgumentException("timestamp_ms must not be negative");
    }
  }

  /** The exact bytes the signature covers (see the class comment). */
  public byte[] signedBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(PREFIX);
    field(out, packetId.getBytes(StandardCharsets.UTF_8));
    field(out, HexFormat.of().parseHex(outcomeHash));
    field(out, status.name().getBytes(StandardCharsets.UTF_8));
    field(out, unsigned(nonce, 16));
    field(out, ByteBuffer.allocate(Long.BYTES).putLong(timestampMs).array());
    field(out, HexFormat.of().parseHex(agentPubkeyFingerprint));
    reasonHash.ifPresent(h -> field(out, HexFormat.of().parseHex(h)));
    return out.toByteArray();
  }

  /**
   * The reference's JSON form ({@code model_dump}): every field in declaration order, the nonce and
   * timestamp as JSON integers, {@code "reason_hash": null} when there is no reason.
   */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("packet_id", packetId);
    n.put("status", status.name());
    n.put("outcome_hash", outcomeHash);
    n.put("nonce", nonce);
    n.put("timestamp_ms", timestampMs);
    n.put("signed_by", signedBy);
    n.put("agent_pubkey_fingerprint", agentPubkeyFingerprint);
    n.put("signature", signature);
    reasonHash.ifPresentOrElse(h -> n.put("reason_hash", h), () -> n.putNull("reason_hash"));
    return n;
  }

  /**
   * Reads the JSON form. Like the reference model, unknown fields are refused and the patterns
   * hold; unlike its lax parsing, numbers must be JSON integers (not {@code "5"} or {@code 5.0})
   * and strings must be strings. {@code reason_hash} may be absent or null.
   *
   * @throws MalformedPacketException naming the first field that does not fit
   */
  public static ExecutionAttestation fromJson(JsonNode json) throws MalformedPacketException {
    if (!json.isObject()) {
      throw new MalformedPacketException("attestation must be a JSON object");
    }
    for (String name : json.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw new MalformedPacketException("attestation has an unknown field: " + name);
      }
    }
    String statusText = string(json, "status");
    Status status;
    try {
      status = Status.valueOf(statusText);
    } catch (IllegalArgumentException e) {
      throw new MalformedPacketException("attestation.status is not a known status");
    }
    JsonNode reason = json.path("reason_hash");
    Optional<String> reasonHash;
    if (reason.isMissingNode() || reason.isNull()) {
      reasonHash = Optional.empty();
    } else if (reason.isString()) {
      reasonHash = Optional.of(reason.stringValue());
    } else {
      throw new MalformedPacketException("attestation.reason_hash must be a string or null");
    }
    BigInteger timestamp = integer(json, "timestamp_ms");
    if (timestamp.bitLength() >= Long.SIZE) {
      throw new MalformedPacketException("attestation.timestamp_ms is out of range");
    }
    try {
      return new ExecutionAttestation(
          string(json, "packet_id"),
          status,
          string(json, "outcome_hash"),
          integer(json, "nonce"),
          timestamp.longValueExact(),
          string(json, "signed_by"),
          string(json, "agent_pubkey_fingerprint"),
          string(json, "signature"),
          reasonHash);
    } catch (IllegalArgumentException e) {
      throw new MalformedPacketException("attestation: " + e.getMessage());
    }
  }

  private static String string(JsonNode json, String field) throws MalformedPacketException {
    JsonNode v = json.path(field);
    if (!v.isString()) {
      throw new MalformedPacketException("attestation." + field + " must be a string");
    }
    return v.stringValue();
  }

  private static BigInteger integer(JsonNode json, String field) throws MalformedPacketException {
    JsonNode v = json.path(field);
    if (!v.isIntegralNumber()) {
      throw new MalformedPacketException("attestation." + field + " must be an integer");
    }
    return v.bigIntegerValue();
  }

  private static void requireHash(String hex, String field) {
    if (!HEX_SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException(field + " must be 64 lowercase hex digits");
    }
  }

  private static void field(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
    out.writeBytes(value);
  }

  /** {@code value} as exactly {@code size} big-endian bytes; the caller checked the range. */
  private static byte[] unsigned(BigInteger value, int size) {
    byte[] minimal = value.toByteArray(); // may carry a leading 0x00 sign byte
    byte[] out = new byte[size];
    int copy = Math.min(minimal.length, size);
    System.arraycopy(minimal, minimal.length - copy, out, size - copy, copy);
    return out;
  }

  private static byte[] domainPrefix() {
    byte[] tag = "TRUSTHANDOFF_EXEC_ATTEST_V3".getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[tag.length + 2];
    System.arraycopy(tag, 0, prefix, 0, tag.length);
    prefix[tag.length] = 0x00;
    prefix[tag.length + 1] = 0x01;
    return prefix;
  }
}
