package dev.handshake.audit.authority;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signed authority statement: issuer {@code issuerId} lets {@code subjectId} perform the actions
 * in {@code scope} between {@code validFrom} and {@code validUntil} (reference shape, {@code
 * AISS-1.0}). JSON:
 *
 * <pre>{@code
 * {"version":"AISS-1.0","statement_id":"<uuid4>","issuer_id":"acme_corp","subject_id":"<agent id>",
 *  "scope":["execute_order"],"validity_period":{"start":1767225600,"end":1798761600},
 *  "revocation_reference":"…" (optional),"subject_public_key":"<Base64>" (ours, optional),
 *  "signature":"<Base64 Ed25519>"}
 * }</pre>
 *
 * <p>The signature covers the canonical JSON of every member but {@code signature}. We write only
 * the RFC 8785-safe subset, on which that is byte-identical to the reference's canonical form; we
 * verify with the reference form ({@link PythonJson#canonicalize}), so its statements verify too.
 * {@code subject_public_key} is our addition: signed like everything else, ignored by reference
 * readers, it lets a chain continue to the subject without a separate key directory.
 *
 * @param json the statement exactly as signed or read (the signature is checked over it, unknown
 *     members included)
 */
public record AuthorityStatement(
    String statementId,
    String issuerId,
    String subjectId,
    List<String> scope,
    long validFrom,
    long validUntil,
    Optional<String> revocationReference,
    Optional<Ed25519PublicKey> subjectPublicKey,
    String signature,
    ObjectNode json) {
  public static final String VERSION = "AISS-1.0";

  public AuthorityStatement {
    scope = List.copyOf(scope);
    json = json.deepCopy();
  }

  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** A statement signed by {@code issuerKey}, whose issuer id is that key's AISS id. */
  public static AuthorityStatement issue(
      Ed25519PrivateKey issuerKey, AuthorityGrant grant, SecureRandom random) {
    return issueAs(issuerKey, AgentIds.aiss(issuerKey.publicKey()), grant, random);
  }

  /**
   * A statement signed by {@code issuerKey} under the name {@code issuerId}, for a root authority
   * known by a label ({@code "acme_corp"}); verifiers must be configured with that label and key.
   */
  public static AuthorityStatement issueAs(
      Ed25519PrivateKey issuerKey, String issuerId, AuthorityGrant grant, SecureRandom random) {
    if (issuerId.isEmpty() || issuerId.length() > AuthorityGrant.MAX_TEXT) {
      throw new IllegalArgumentException(
          "issuer id must have 1 to " + AuthorityGrant.MAX_TEXT + " characters");
    }
    ObjectNode body = Json.object();
    body.put("version", VERSION);
    body.put("statement_id", uuid4(random));
    body.put("issuer_id", issuerId);
    body.put("subject_id", grant.subjectId());
    ArrayNode scope = body.putArray("scope");
    grant.scope().forEach(scope::add);
    ObjectNode validity = body.putObject("validity_period");
    validity.put("start", grant.validFrom().getEpochSecond());
    validity.put("end", grant.validUntil().getEpochSecond());
    grant.revocationReference().ifPresent(r -> body.put("revocation_reference", r));
    grant.subjectKey().ifPresent(k -> body.put("subject_public_key", k.base64()));
    CanonicalJson.requireSignable(body);
    body.put("signature", Base64Text.encode(issuerKey.sign(CanonicalJson.canonicalize(body))));
    try {
      return parse(body);
    } catch (InvalidStatementException e) {
      throw new IllegalStateException("a statement we built does not parse", e);
    }
  }

  /** Whether {@code issuerKey} signed this statement (every member but {@code signature}). */
  public boolean signedBy(Ed25519PublicKey issuerKey) {
    ObjectNode body = json.deepCopy();
    body.remove("signature");
    byte[] input;
    try {
      input = PythonJson.canonicalize(body);
    } catch (CanonicalJsonException e) {
      return false; // no canonical form (a lone surrogate): nothing anyone could have signed
    }
    return Base64Text.decodeStrict(signature)
        .map(sig -> issuerKey.verify(input, sig))
        .orElse(false);
  }

  /** Why a JSON value is not an authority statement. */
  public static final class InvalidStatementException extends Exception {
    InvalidStatementException(String message) {
      super(message);
    }
  }

  /**
   * Reads a statement's structure: {@code version} {@code AISS-1.0}, non-empty ids, a non-empty
   * array of distinct non-empty scope strings, integer {@code start <= end}, a string signature,
   * and well-formed optional members. Unknown members are kept (they are signed). Nothing here is
   * trusted until {@link #signedBy} says so.
   */
  public static AuthorityStatement parse(JsonNode node) throws InvalidStatementException {
    if (!node.isObject()) {
      throw new InvalidStatementException("an authority statement is a JSON object");
    }
    if (!VERSION.equals(node.path("version").stringValue(""))) {
      throw new InvalidStatementException("version must be " + VERSION);
    }
    JsonNode scopeNode = node.path("scope");
    if (!scopeNode.isArray()
        || scopeNode.isEmpty()
        || scopeNode.size() > AuthorityGrant.MAX_SCOPE_ENTRIES) {
      throw new InvalidStatementException(
          "scope must be an array of 1 to " + AuthorityGrant.MAX_SCOPE_ENTRIES + " actions");
    }
    List<String> scope = new ArrayList<>();
    for (JsonNode action : scopeNode) {
      if (!action.isString()
          || action.stringValue().isEmpty()
          || action.stringValue().length() > AuthorityGrant.MAX_TEXT) {
        throw new InvalidStatementException("scope entries must be non-empty strings");
      }
      scope.add(action.stringValue());
    }
    if (new HashSet<>(scope).size() != scope.size()) {
      throw new InvalidStatementException("scope names an action twice");
    }
    JsonNode validity = node.path("validity_period");
    long start = integer(validity, "start");
    long end = integer(validity, "end");
    if (end < start) {
      throw new InvalidStatementException("validity_period ends before it starts");
    }
    Optional<String> revocation = Optional.empty();
    if (node.has("revocation_reference")) {
      revocation = Optional.of(text(node, "revocation_reference"));
    }
    Optional<Ed25519PublicKey> subjectKey = Optional.empty();
    if (node.has("subject_public_key")) {
      subjectKey =
          Optional.of(
              Base64Text.decodeStrict(text(node, "subject_public_key"))
                  .flatMap(Ed25519PublicKey::parse)
                  .orElseThrow(() ->
                      new InvalidStatementException(
                          "subject_public_key is not a Base64 Ed25519 key")));
    }
    return new AuthorityStatement(
        text(node, "statement_id"),
        text(node, "issuer_id"),
        text(node, "subject_id"),
        scope,
        start,
        end,
        revocation,
        subjectKey,
        text(node, "signature"),
        (ObjectNode) node);
  }

  private static String text(JsonNode node, String name) throws InvalidStatementException {
    JsonNode value = node.path(name);
    if (!value.isString()
        || value.stringValue().isEmpty()
        || value.stringValue().length() > AuthorityGrant.MAX_TEXT) {
      throw new InvalidStatementException(
          name + " must be a string of 1 to " + AuthorityGrant.MAX_TEXT + " characters");
    }
    return value.stringValue();
  }

  private static long integer(JsonNode validity, String name) throws InvalidStatementException {
    JsonNode value = validity.path(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidStatementException("validity_period." + name + " must be an integer");
    }
    return value.longValue();
  }

  /** A random (version 4) UUID from {@code random}, so tests can fix it. */
  private static String uuid4(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    String hex = HexFormat.of().formatHex(b);
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }
}
