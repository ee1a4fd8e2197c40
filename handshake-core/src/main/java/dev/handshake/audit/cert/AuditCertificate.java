package dev.handshake.audit.cert;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A certification authority's signed statement about one {@code AISS-1.0-AUDIT} export (aiss.md §3
 * item 10): "I verified the file whose SHA-256 is {@code auditHash}; it is {@code eventCount}
 * events of agent {@code agentId} ending at {@code chainHeadHash}; this holds from {@code issuedAt}
 * until {@code expiresAt}".
 *
 * <p>Unlike the reference's certificates, the hash is over the exact file bytes (not a
 * re-serialisation), the agent's key is named, and the signer is a CA key that is never the
 * agent's. Signing input: RFC 8785 canonical JSON of every member except {@code ca_signature}; the
 * {@code type} member separates it from anything else a key signs. Signature: standard Base64.
 *
 * @param certId {@code CERT-YYYYMMDD-} and 16 upper-case hex digits
 * @param auditHash {@code "sha256:"} and the hex SHA-256 of the export file's bytes
 * @param issuerId the AISS id of the CA key
 */
public record AuditCertificate(
    String certId,
    String auditHash,
    String agentId,
    Ed25519PublicKey agentPublicKey,
    long eventCount,
    String chainHeadHash,
    String chainIntegrityHash,
    long issuedAt,
    long expiresAt,
    String issuerId,
    String caSignature) {
  public static final String TYPE = "handshake-audit-certificate/1";
  public static final String SIGNATURE = "ca_signature";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CERT_ID = Pattern.compile("CERT-[0-9]{8}-[0-9A-F]{16}");
  private static final Set<String> MEMBERS =
      Set.of(
          "type",
          "cert_id",
          "audit_hash",
          "agent_id",
          "agent_public_key",
          "event_count",
          "chain_head_hash",
          "chain_integrity_hash",
          "issued_at",
          "expires_at",
          "issuer_id",
          SIGNATURE);

  /** Signs a certificate with {@code caKey}; {@code issuerId} is that key's AISS id. */
  static AuditCertificate sign(
      Ed25519PrivateKey caKey,
      String certId,
      String auditHash,
      Ed25519PublicKey agentPublicKey,
      long eventCount,
      String chainHeadHash,
      String chainIntegrityHash,
      long issuedAt,
      long expiresAt) {
    AuditCertificate unsigned =
        new AuditCertificate(
            certId,
            auditHash,
            AgentIds.aiss(agentPublicKey),
            agentPublicKey,
            eventCount,
            chainHeadHash,
            chainIntegrityHash,
            issuedAt,
            expiresAt,
            AgentIds.aiss(caKey.publicKey()),
            "");
    CanonicalJson.requireSignable(unsigned.body());
    String signature = Base64Text.encode(caKey.sign(CanonicalJson.canonicalize(unsigned.body())));
    return new AuditCertificate(
        certId,
        auditHash,
        unsigned.agentId(),
        agentPublicKey,
        eventCount,
        chainHeadHash,
        chainIntegrityHash,
        issuedAt,
        expiresAt,
        unsigned.issuerId(),
        signature);
  }

  /** Every member except the signature, in the order they are written. */
  private ObjectNode body() {
    ObjectNode node = Json.object();
    node.put("type", TYPE);
    node.put("cert_id", certId);
    node.put("audit_hash", auditHash);
    node.put("agent_id", agentId);
    node.put("agent_public_key", agentPublicKey.base64());
    node.put("event_count", eventCount);
    node.put("chain_head_hash", chainHeadHash);
    node.put("chain_integrity_hash", chainIntegrityHash);
    node.put("issued_at", issuedAt);
    node.put("expires_at", expiresAt);
    node.put("issuer_id", issuerId);
    return node;
  }

  public ObjectNode toJson() {
    return body().put(SIGNATURE, caSignature);
  }

  /** {@code certificate.json}: the JSON indented by two spaces, UTF-8, final newline. */
  public byte[] toBytes() {
    return Json.pretty(toJson()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code caKey} signed exactly the JSON object {@code certificate} (every member but
   * {@code ca_signature}). This is the first thing a verifier checks: nothing else in the object is
   * read before it passes.
   */
  static boolean signedBy(JsonNode certificate, Ed25519PublicKey caKey) {
    if (!certificate.isObject() || !certificate.path(SIGNATURE).isString()) {
      return false;
    }
    ObjectNode body = ((ObjectNode) certificate).deepCopy();
    String signature = body.remove(SIGNATURE).stringValue();
    byte[] input;
    try {
      input = CanonicalJson.canonicalize(body);
    } catch (CanonicalJsonException e) {
      return false; // no canonical form: nothing anyone could have signed
    }
    return Base64Text.decodeStrict(signature).map(sig -> caKey.verify(input, sig)).orElse(false);
  }

  /** Why a certificate object could not be read. */
  public static final class InvalidCertificateException extends Exception {
    InvalidCertificateException(String message) {
      super(message);
    }
  }

  /**
   * Reads a certificate: exactly the members {@link #toJson} writes, each of its type. Says nothing
   * about the signature; see {@link CertificateVerifier}.
   */
  public static AuditCertificate parse(JsonNode node) throws InvalidCertificateException {
    if (!node.isObject()) {
      throw new InvalidCertificateException("a certificate is a JSON object");
    }
    for (String name : node.propertyNames()) {
      if (!MEMBERS.contains(name)) {
        throw new InvalidCertificateException("unknown certificate member " + quoted(name));
      }
    }
    if (!TYPE.equals(node.path("type").stringValue(""))) {
      throw new InvalidCertificateException("type must be " + TYPE);
    }
    String certId = matching(node, "cert_id", CERT_ID);
    String auditHash = text(node, "audit_hash");
    if (!auditHash.startsWith("sha256:") || !HEX64.matcher(auditHash.substring(7)).matches()) {
      throw new InvalidCertificateException("audit_hash must be sha256: and 64 hex digits");
    }
    Ed25519PublicKey agentKey =
        Base64Text.decodeStrict(text(node, "agent_public_key"))
            .flatMap(Ed25519PublicKey::parse)
            .orElseThrow(() ->
                new InvalidCertificateException("agent_public_key is not a Base64 Ed25519 key"));
    String agentId = text(node, "agent_id");
    if (!AgentIds.isAissIdOf(agentId, agentKey)) {
      throw new InvalidCertificateException("agent_id is not derived from agent_public_key");
    }
    long issuedAt = number(node, "issued_at");
    long expiresAt = number(node, "expires_at");
    if (expiresAt <= issuedAt) {
      throw new InvalidCertificateException("expires_at must be after issued_at");
    }
    return new AuditCertificate(
        certId,
        auditHash,
        agentId,
        agentKey,
        number(node, "event_count"),
        matching(node, "chain_head_hash", HEX64),
        matching(node, "chain_integrity_hash", HEX64),
        issuedAt,
        expiresAt,
        text(node, "issuer_id"),
        text(node, SIGNATURE));
  }

  private static String text(JsonNode node, String name) throws InvalidCertificateException {
    JsonNode value = node.path(name);
    if (!value.isString() || value.stringValue().isEmpty()) {
      throw new InvalidCertificateException(name + " must be a non-empty string");
    }
    return value.stringValue();
  }

  private static String matching(JsonNode node, String name, Pattern pattern)
      throws InvalidCertificateException {
    String value = text(node, name);
    if (!pattern.matcher(value).matches()) {
      throw new InvalidCertificateException(name + " is not in the expected form");
    }
    return value;
  }

  private static long number(JsonNode node, String name) throws InvalidCertificateException {
    JsonNode value = node.path(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw new InvalidCertificateException(name + " must be a non-negative integer");
    }
    return value.longValue();
  }

  private static String quoted(String name) {
    return Optional.of(name)
        .filter(n -> n.length() <= 40 && n.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
        .map(n -> "\"" + n + "\"")
        .orElse("(unprintable name)");
  }
}
