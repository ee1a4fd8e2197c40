package dev.handshake.audit.cert;

import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.cert.CertificateVerification.Failure;
import dev.handshake.audit.cert.CertificateVerification.Invalid;
import dev.handshake.audit.cert.CertificateVerification.Valid;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.zip.BoundedZip;
import dev.handshake.zip.ZipFormatException;
import dev.handshake.zip.ZipMember;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a {@link CertifiedBundle} against the one CA key the verifier trusts (configured out of
 * band, never taken from the bundle), in this order, stopping at the first failure:
 *
 * <ol>
 *   <li>the ZIP, read with {@link BoundedZip} (bounded sizes, no ambiguous entries): exactly {@code
 *       certificate.json}, {@code audit.json} and optionally {@code ca-identity.json};
 *   <li>the CA signature over the certificate — before any other member of it is believed;
 *   <li>the certificate's fields, its {@code issuer_id} (the trusted key's id) and the bundled CA
 *       identity, if any (must be the trusted key);
 *   <li>validity: {@code issued_at <= at < expires_at};
 *   <li>{@code audit_hash} = SHA-256 of the bundled {@code audit.json} bytes;
 *   <li>the export states what the certificate states (agent key, event count, head, chain hash);
 *   <li>the chain itself, with {@link dev.handshake.audit.ChainVerifier}.
 * </ol>
 *
 * <pre>{@code
 * CertificateVerification result =
 *     CertificateVerifier.trusting(caKey).verify(Path.of("audit.cert.zip"), Instant.now());
 * }</pre>
 */
public final class CertificateVerifier {
  private static final Set<String> MEMBERS =
      Set.of(CertifiedBundle.CERTIFICATE, CertifiedBundle.AUDIT, CertifiedBundle.CA_IDENTITY);

  private final Ed25519PublicKey trustedCa;
  private final String trustedId;

  private CertificateVerifier(Ed25519PublicKey trustedCa) {
    this.trustedCa = trustedCa;
    this.trustedId = AgentIds.aiss(trustedCa);
  }

  /** A verifier accepting certificates signed by {@code caKey} only. */
  public static CertificateVerifier trusting(Ed25519PublicKey caKey) {
    return new CertificateVerifier(caKey);
  }

  /** Checks the bundle file {@code file}; a file larger than a bundle can be is not read. */
  public CertificateVerification verify(Path file, Instant at) throws IOException {
    try {
      return verify(BoundedZip.read(file, CertifiedBundle.LIMITS), at);
    } catch (ZipFormatException e) {
      return invalid(Failure.MALFORMED_BUNDLE, e.getMessage());
    }
  }

  /** Checks the bundle bytes {@code bundle} at time {@code at}. */
  public CertificateVerification verify(byte[] bundle, Instant at) {
    try {
      return verify(BoundedZip.read(bundle, CertifiedBundle.LIMITS), at);
    } catch (ZipFormatException e) {
      return invalid(Failure.MALFORMED_BUNDLE, e.getMessage());
    }
  }

  private CertificateVerification verify(List<ZipMember> list, Instant at) {
    Map<String, byte[]> members = new HashMap<>();
    for (ZipMember member : list) {
      if (!MEMBERS.contains(member.name())) {
        return invalid(Failure.MALFORMED_BUNDLE, "unexpected member " + member.name());
      }
      members.put(member.name(), member.bytes());
    }
    byte[] certificateFile = members.get(CertifiedBundle.CERTIFICATE);
    byte[] auditFile = members.get(CertifiedBundle.AUDIT);
    if (certificateFile == null || auditFile == null) {
      return invalid(Failure.MALFORMED_BUNDLE, "a bundle holds certificate.json and audit.json");
    }
    Optional<IdentityDocument> caIdentity = Optional.empty();
    byte[] caFile = members.get(CertifiedBundle.CA_IDENTITY);
    if (caFile != null) {
      try {
        caIdentity = Optional.of(IdentityDocument.parse(smallJson(caFile), true, false));
      } catch (IdentityDocument.InvalidIdentityException | CanonicalJsonException e) {
        return invalid(Failure.MALFORMED_BUNDLE, "ca-identity.json: " + e.getMessage());
      }
    }
    JsonNode certificateJson;
    try {
      certificateJson = smallJson(certificateFile);
    } catch (CanonicalJsonException e) {
      return invalid(Failure.MALFORMED_CERTIFICATE, "certificate.json: " + e.getMessage());
    }

    if (!AuditCertificate.signedBy(certificateJson, trustedCa)) {
      Optional<String> other =
          caIdentity
              .filter(ca -> !ca.publicKey().equals(trustedCa))
              .map(IdentityDocument::agentId)
              .or(() ->
                  Optional.of(certificateJson.path("issuer_id").stringValue(""))
                      .filter(id -> !id.isEmpty() && !id.equals(trustedId)));
      return other
          .map(id ->
              invalid(
                  Failure.UNTRUSTED_ISSUER,
                  "the bundle names CA " + printable(id) + "; the trusted CA is " + trustedId))
          .orElseGet(() ->
              invalid(
                  Failure.BAD_SIGNATURE,
                  "the certificate's ca_signature does not verify with the trusted CA "
                      + trustedId));
    }
    // From here on the certificate is the trusted CA's statement.
    AuditCertificate certificate;
    try {
      certificate = AuditCertificate.parse(certificateJson);
    } catch (AuditCertificate.InvalidCertificateException e) {
      return invalid(Failure.MALFORMED_CERTIFICATE, e.getMessage());
    }
    Optional<AuditCertificate> signed = Optional.of(certificate);
    if (!certificate.issuerId().equals(trustedId)) {
      return new Invalid(
          Failure.UNTRUSTED_ISSUER,
          "issuer_id " + certificate.issuerId() + " is not the trusted CA " + trustedId,
          signed,
          Optional.empty());
    }
    if (caIdentity.isPresent() && !caIdentity.get().publicKey().equals(trustedCa)) {
      return new Invalid(
          Failure.UNTRUSTED_ISSUER,
          "ca-identity.json names CA "
              + caIdentity.get().agentId()
              + ", not the trusted CA that signed the certificate",
          signed,
          Optional.empty());
    }
    long now = at.getEpochSecond();
    if (now < certificate.issuedAt()) {
      return new Invalid(
          Failure.NOT_YET_VALID,
          "issued at " + Instant.ofEpochSecond(certificate.issuedAt()) + ", checked at " + at,
          signed,
          Optional.empty());
    }
    if (now >= certificate.expiresAt()) {
      return new Invalid(
          Failure.EXPIRED,
          "expired at " + Instant.ofEpochSecond(certificate.expiresAt()) + ", checked at " + at,
          signed,
          Optional.empty());
    }
    String auditHash = "sha256:" + Sha256.hex(auditFile);
    if (!auditHash.equals(certificate.auditHash())) {
      return new Invalid(
          Failure.AUDIT_HASH_MISMATCH,
          "audit.json hashes to "
              + auditHash
              + ", the certificate covers "
              + certificate.auditHash(),
          signed,
          Optional.empty());
    }
    return checkAudit(certificate, auditFile);
  }

  private CertificateVerification checkAudit(AuditCertificate certificate, byte[] auditFile) {
    Optional<AuditCertificate> signed = Optional.of(certificate);
    AuditExport export;
    IdentityDocument identity;
    try {
      export = AuditExport.parse(auditFile);
      identity = IdentityDocument.parse(export.identityJson(), true, false);
    } catch (AuditExport.InvalidExportException | IdentityDocument.InvalidIdentityException e) {
      return new Invalid(Failure.AUDIT_UNREADABLE, e.getMessage(), signed, Optional.empty());
    }
    Optional<String> mismatch = mismatch(certificate, export, identity);
    if (mismatch.isPresent()) {
      return new Invalid(Failure.CERTIFICATE_MISMATCH, mismatch.get(), signed, Optional.empty());
    }
    ChainReport report = AuditChecks.report(export, identity);
    if (!AuditChecks.valid(export, report)) {
      String detail =
          export.chainIntegrityHashMatches()
              ? "the chain does not verify: " + String.join("; ", report.errors())
              : "chain_integrity_hash does not match the events";
      return new Invalid(Failure.CHAIN_INVALID, detail, signed, Optional.of(report));
    }
    return new Valid(certificate, export, report);
  }

  private static Optional<String> mismatch(
      AuditCertificate certificate, AuditExport export, IdentityDocument identity) {
    if (!identity.publicKey().equals(certificate.agentPublicKey())) {
      return Optional.of(
          "the export is agent "
              + printable(identity.agentId())
              + "'s, the certificate is about "
              + certificate.agentId());
    }
    if (export.events().size() != certificate.eventCount()) {
      return Optional.of(
          "the export has "
              + export.events().size()
              + " events, the certificate states "
              + certificate.eventCount());
    }
    if (export.events().isEmpty()
        || !export.events().getLast().hash().equals(certificate.chainHeadHash())) {
      return Optional.of("the export's last event is not the certificate's chain_head_hash");
    }
    if (!export.chainIntegrityHash().equals(certificate.chainIntegrityHash())) {
      return Optional.of("the export's chain_integrity_hash is not the certificate's");
    }
    return Optional.empty();
  }

  private static JsonNode smallJson(byte[] bytes) {
    if (bytes.length > CertifiedBundle.MAX_SMALL_FILE) {
      throw new CanonicalJsonException("larger than " + CertifiedBundle.MAX_SMALL_FILE + " bytes");
    }
    return CanonicalJson.parse(bytes);
  }

  private static Invalid invalid(Failure failure, String detail) {
    return new Invalid(failure, detail, Optional.empty(), Optional.empty());
  }

  /** An id from an unverified file, cut and stripped of anything a terminal would interpret. */
  private static String printable(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
    return cut.replaceAll("[^\\x20-\\x7e…]", "?");
  }
}
