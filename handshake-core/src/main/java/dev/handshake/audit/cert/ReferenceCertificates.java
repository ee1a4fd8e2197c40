package dev.handshake.audit.cert;

import dev.handshake.audit.AuditExport;
import dev.handshake.audit.cert.ReferenceCertificateCheck.Artefact;
import dev.handshake.audit.cert.ReferenceCertificateCheck.AuditBinding;
import dev.handshake.audit.cert.ReferenceCertificateCheck.Signer;
import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.PythonJson;
import dev.handshake.zip.BoundedZip;
import dev.handshake.zip.ZipFormatException;
import dev.handshake.zip.ZipLimits;
import dev.handshake.zip.ZipMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the reference's three unrelated certification mechanisms (aiss.md §2.7) and reports what
 * each proves as a {@link ReferenceCertificateCheck}. In short: the inline block and the {@code
 * .cert} side file are <b>self-signed</b> by the agent's own key (the {@code .cert} is verified
 * with the key found in the very file it certifies); the CA attestation is signed by a CA but
 * contains <b>no hash of the audit</b>, so it stays valid on any other audit; only the tier
 * certificate is both CA-signed and bound to the audit, and then through a re-serialisation, not
 * the file bytes. Our own certificates ({@link AuditCertifier}) fix all of this.
 *
 * <p>Signatures are checked exactly as the reference computes them: Base58 over the ASCII chain
 * hash (inline), Base64 over the ASCII hex of the file hash ({@code .cert}), Base64 over Python
 * {@code json.dumps(sort_keys=True)} ({@link PythonJson#dumpsSortedAscii}) for the CA formats.
 */
public final class ReferenceCertificates {
  /** Reference tier bundles hold five small files and the audit. */
  private static final ZipLimits TIER_LIMITS =
      new ZipLimits(
          CertifiedBundle.MAX_AUDIT_BYTES + (1 << 20),
          8,
          CertifiedBundle.MAX_AUDIT_BYTES,
          CertifiedBundle.MAX_AUDIT_BYTES + (1 << 20));

  private static final String SELF_SIGNED =
      "self-signed: made with the agent's own key, so no third party vouches for anything and"
          + " whoever holds (or replaces) that key can re-sign any content";

  private ReferenceCertificates() {}

  /** A file that is not the artefact it was given as. */
  public static final class UnreadableArtefactException extends Exception {
    UnreadableArtefactException(String message) {
      super(message);
    }
  }

  /**
   * The inline {@code certification} block of an export written by the reference's {@code
   * export_certified}: a Base58 signature by the agent key over the ASCII {@code chain_hash}.
   */
  public static ReferenceCertificateCheck inlineCertification(byte[] exportFile)
      throws UnreadableArtefactException {
    JsonNode root = json(exportFile, "export");
    JsonNode block = root.path("certification");
    if (!block.isObject()) {
      throw new UnreadableArtefactException("the export has no certification block");
    }
    Ed25519PublicKey agentKey = agentKey(root);
    String chainHash = block.path("chain_hash").stringValue("");
    boolean signatureValid =
        Base58.decode(block.path("signature").stringValue(""))
            .map(sig -> agentKey.verify(chainHash.getBytes(StandardCharsets.US_ASCII), sig))
            .orElse(false);
    List<String> findings = new ArrayList<>();
    findings.add(SELF_SIGNED);
    findings.add(
        "covers only chain_integrity_hash: agent_identity, exported_at and metadata can be changed"
            + " without breaking it");
    boolean bound =
        chainHash.equals(root.path("chain_integrity_hash").stringValue(""))
            && chainHash.equals(recomputedChainHash(exportFile).orElse(""));
    if (!bound) {
      findings.add("chain_hash is not the hash of the events in this export");
    }
    if (!signatureValid) {
      findings.add("the Base58 signature does not verify with agent_identity.public_key");
    }
    return new ReferenceCertificateCheck(
        Artefact.INLINE_CERTIFICATION,
        signatureValid,
        Signer.AGENT_SELF_SIGNED,
        AuditBinding.CHAIN_INTEGRITY_HASH,
        bound,
        findings);
  }

  /**
   * The {@code <audit>.cert} side file ({@code AISS-CERT-1}): SHA-256 of the exact export bytes,
   * signed with the agent key — the key the reference takes from the export itself.
   */
  public static ReferenceCertificateCheck certSideFile(byte[] exportFile, byte[] certFile)
      throws UnreadableArtefactException {
    JsonNode cert = json(certFile, ".cert file");
    if (!"AISS-CERT-1".equals(cert.path("version").stringValue(""))) {
      throw new UnreadableArtefactException("not an AISS-CERT-1 file");
    }
    Ed25519PublicKey agentKey = agentKey(json(exportFile, "export"));
    String fileHash = Sha256.hex(exportFile);
    String claimed = cert.path("export_hash").stringValue("");
    boolean bound = claimed.equals("sha256:" + fileHash);
    String signedHex = claimed.startsWith("sha256:") ? claimed.substring(7) : claimed;
    boolean signatureValid =
        Base64Text.decodeStrict(cert.path("signature").stringValue(""))
            .map(sig -> agentKey.verify(signedHex.getBytes(StandardCharsets.UTF_8), sig))
            .orElse(false);
    List<String> findings = new ArrayList<>();
    findings.add(SELF_SIGNED);
    findings.add(
        "verified with agent_identity.public_key read from the export it certifies: a rewritten"
            + " export with a new identity and a new .cert verifies just as well");
    String agentId = cert.path("agent_id").stringValue("");
    if (!AgentIds.isAissIdOf(agentId, agentKey)) {
      findings.add("agent_id is not the signing key's id (the reference does not check it)");
    }
    if (!bound) {
      findings.add("export_hash is not the SHA-256 of this export file");
    }
    if (!signatureValid) {
      findings.add("the signature does not verify with agent_identity.public_key");
    }
    return new ReferenceCertificateCheck(
        Artefact.CERT_SIDE_FILE,
        signatureValid,
        Signer.AGENT_SELF_SIGNED,
        AuditBinding.EXACT_FILE_BYTES,
        bound,
        findings);
  }

  /**
   * A {@code PIQRYPT-CERTIFIED-1.0} file: the CA's {@code ca_signature} over its attestation, which
   * names no hash of the audit it sits next to.
   */
  public static ReferenceCertificateCheck caAttestation(
      byte[] certifiedFile, Ed25519PublicKey caKey) throws UnreadableArtefactException {
    JsonNode root = json(certifiedFile, "certified export");
    if (!"PIQRYPT-CERTIFIED-1.0".equals(root.path("version").stringValue(""))) {
      throw new UnreadableArtefactException("not a PIQRYPT-CERTIFIED-1.0 file");
    }
    JsonNode attestation = root.path("piqrypt_attestation");
    if (!attestation.isObject()) {
      throw new UnreadableArtefactException("piqrypt_attestation is missing");
    }
    ObjectNode body = ((ObjectNode) attestation).deepCopy();
    JsonNode signature = body.remove("ca_signature");
    boolean signatureValid =
        signature != null
            && signature.isString()
            && pythonSigned(body, Base64Text.decodeStrict(signature.stringValue()), caKey);
    Signer signer = signer(caKey, root.path("audit"));
    List<String> findings = new ArrayList<>();
    findings.add(
        "not bound to the audit: the attestation contains no hash of it, so it verifies unchanged"
            + " next to any other audit");
    findings.add(
        "verification_results are the CA's claims (always \"valid\"), not values a reader can"
            + " recheck");
    findings.add("signed over Python json.dumps(sort_keys=True) text, not a canonical form");
    findings.add(agentCertificationFinding(root));
    if (signer == Signer.AGENT_SELF_SIGNED) {
      findings.add("the \"CA\" key is the audited agent's own key");
    }
    if (!signatureValid) {
      findings.add("ca_signature does not verify with the given CA key");
    }
    return new ReferenceCertificateCheck(
        Artefact.CA_ATTESTATION, signatureValid, signer, AuditBinding.NONE, false, findings);
  }

  /**
   * The {@code certificate.json} of a tier bundle ZIP ({@code <cert_id>.piqrypt-certified}): CA
   * signature over Python {@code json.dumps(sort_keys=True)} of the certificate, {@code audit_hash}
   * over the same rendering of the parsed {@code audit.json}. The {@code tsa} member the timestamp
   * tier adds after signing is left out of the signing input, as the reference signed without it.
   */
  public static ReferenceCertificateCheck tierCertificate(byte[] bundle, Ed25519PublicKey caKey)
      throws UnreadableArtefactException {
    List<ZipMember> members;
    try {
      members = BoundedZip.read(bundle, TIER_LIMITS);
    } catch (ZipFormatException e) {
      throw new UnreadableArtefactException("not a readable bundle: " + e.getMessage());
    }
    JsonNode certificate = json(member(members, "certificate.json"), "certificate.json");
    JsonNode audit = json(member(members, "audit.json"), "audit.json");
    if (!"PIQRYPT-CERT-1.0".equals(certificate.path("version").stringValue(""))) {
      throw new UnreadableArtefactException("certificate.json is not PIQRYPT-CERT-1.0");
    }
    ObjectNode body = ((ObjectNode) certificate).deepCopy();
    JsonNode signature = body.remove("ca_signature");
    JsonNode tsa = body.remove("tsa");
    JsonNode postQuantum = body.remove("post_quantum");
    String signatureText = signature != null && signature.isString() ? signature.stringValue() : "";
    boolean signatureValid =
        signatureText.startsWith("base64:")
            && pythonSigned(body, Base64Text.decodeStrict(signatureText.substring(7)), caKey);
    String auditHash =
        "sha256:" + Sha256.hex(PythonJson.dumpsSortedAscii(audit).getBytes(StandardCharsets.UTF_8));
    boolean bound = auditHash.equals(certificate.path("audit_hash").stringValue(""));
    Signer signer = signer(caKey, audit);
    List<String> findings = new ArrayList<>();
    findings.add(
        "audit_hash is over Python json.dumps(sort_keys=True) of the parsed audit, not the file"
            + " bytes: other files with the same parsed content carry the same certificate");
    if (!bound) {
      findings.add("audit_hash does not match the bundled audit.json");
    }
    String agentId = certificate.path("agent_id").stringValue("");
    if (agentId.equals("unknown") || agentId.isEmpty()) {
      findings.add(
          "agent_id is \"unknown\": the reference reads it from the audit's top level, where"
              + " exports do not have it, so the certificate names no agent");
    }
    String caAgentId = certificate.path("certified_by").path("ca_agent_id").stringValue("");
    if (!AgentIds.aiss(caKey).equals(caAgentId)) {
      findings.add("certified_by.ca_agent_id is not the id of the given CA key");
    }
    if (signer == Signer.AGENT_SELF_SIGNED) {
      findings.add("signed with the audited agent's own key (the reference allows it)");
    }
    if (tsa != null) {
      findings.add(
          "tsa was added after signing: ca_signature does not cover it, and the token is never"
              + " verified");
    }
    if (postQuantum != null) {
      findings.add("post_quantum signs with an ephemeral key that nothing binds to the CA");
    }
    if (!signatureValid) {
      findings.add("ca_signature does not verify with the given CA key");
    }
    return new ReferenceCertificateCheck(
        Artefact.TIER_CERTIFICATE,
        signatureValid,
        signer,
        AuditBinding.PYTHON_JSON_DUMPS,
        bound,
        findings);
  }

  private static boolean pythonSigned(
      ObjectNode body, Optional<byte[]> signature, Ed25519PublicKey key) {
    byte[] input = PythonJson.dumpsSortedAscii(body).getBytes(StandardCharsets.UTF_8);
    return signature.map(sig -> key.verify(input, sig)).orElse(false);
  }

  /** CA, unless the key is the one in the audit's own identity. */
  private static Signer signer(Ed25519PublicKey caKey, JsonNode audit) {
    return Base64Text.decodeStrict(audit.path("agent_identity").path("public_key").stringValue(""))
            .filter(caKey::matches)
            .isPresent()
        ? Signer.AGENT_SELF_SIGNED
        : Signer.CA;
  }

  /**
   * The embedded {@code .cert} hashed the original file, which the certified file no longer holds;
   * the best a reader can do is re-render the audit as the reference writes exports and compare.
   */
  private static String agentCertificationFinding(JsonNode root) {
    String claimed = root.path("agent_certification").path("export_hash").stringValue("");
    String rendered =
        "sha256:"
            + Sha256.hex(
                PythonJson.dumpsIndented(root.path("audit"), 2).getBytes(StandardCharsets.UTF_8));
    return claimed.equals(rendered)
        ? "agent_certification.export_hash matches the audit re-rendered as the reference writes"
            + " exports, but that .cert is self-signed"
        : "agent_certification.export_hash cannot be rechecked: it hashed the original file, which"
            + " this file does not contain";
  }

  private static Ed25519PublicKey agentKey(JsonNode export) throws UnreadableArtefactException {
    return Base64Text.decodeStrict(export.path("agent_identity").path("public_key").stringValue(""))
        .flatMap(Ed25519PublicKey::parse)
        .orElseThrow(() ->
            new UnreadableArtefactException(
                "agent_identity.public_key is not a Base64 Ed25519 key"));
  }

  private static Optional<String> recomputedChainHash(byte[] exportFile) {
    try {
      return Optional.of(AuditExport.chainIntegrityHash(AuditExport.parse(exportFile).events()));
    } catch (AuditExport.InvalidExportException e) {
      return Optional.empty();
    }
  }

  private static byte[] member(List<ZipMember> members, String name)
      throws UnreadableArtefactException {
    return members.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(ZipMember::bytes)
        .orElseThrow(() -> new UnreadableArtefactException("the bundle has no " + name));
  }

  private static JsonNode json(byte[] bytes, String what) throws UnreadableArtefactException {
    try {
      JsonNode node = CanonicalJson.parse(bytes);
      if (!node.isObject()) {
        throw new UnreadableArtefactException(what + " is not a JSON object");
      }
      return node;
    } catch (CanonicalJsonException e) {
      throw new UnreadableArtefactException(what + " is not JSON: " + e.getMessage());
    }
  }
}
