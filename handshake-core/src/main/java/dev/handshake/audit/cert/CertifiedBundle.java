package dev.handshake.audit.cert;

import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import dev.handshake.zip.DeterministicZip;
import dev.handshake.zip.ZipLimits;
import dev.handshake.zip.ZipMember;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A certification bundle: the ZIP a CA hands back, holding {@code certificate.json} (the signed
 * {@link AuditCertificate}), {@code audit.json} (the export, byte for byte as certified) and {@code
 * ca-identity.json} (the CA's public identity document, for people; verifiers use the CA key they
 * trust, never this file). Written with {@link DeterministicZip}, so one certificate and one export
 * always give the same bundle bytes.
 *
 * @param auditFile the exact bytes {@link AuditCertificate#auditHash()} covers
 */
public record CertifiedBundle(
    AuditCertificate certificate, byte[] auditFile, IdentityDocument caIdentity) {
  public static final String CERTIFICATE = "certificate.json";
  public static final String AUDIT = "audit.json";
  public static final String CA_IDENTITY = "ca-identity.json";

  /** The largest export a bundle carries; the certifier refuses larger ones. */
  public static final int MAX_AUDIT_BYTES = 64 << 20;

  /** Certificates and identity documents are small; anything larger is not ours. */
  static final int MAX_SMALL_FILE = 64 << 10;

  /** What {@link CertificateVerifier} reads: three members at most, nothing larger than needed. */
  static final ZipLimits LIMITS =
      new ZipLimits(
          MAX_AUDIT_BYTES + 2L * MAX_SMALL_FILE + 4096,
          3,
          MAX_AUDIT_BYTES,
          MAX_AUDIT_BYTES + 2L * MAX_SMALL_FILE);

  public CertifiedBundle {
    auditFile = auditFile.clone();
  }

  @Override
  public byte[] auditFile() {
    return auditFile.clone();
  }

  /** The bundle file: certificate, audit, CA identity, in that order. */
  public byte[] toZip() {
    return DeterministicZip.write(
        List.of(
            new ZipMember(CERTIFICATE, certificate.toBytes()),
            new ZipMember(AUDIT, auditFile),
            new ZipMember(
                CA_IDENTITY, Json.pretty(caIdentity.toJson()).getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertifiedBundle other
        && certificate.equals(other.certificate)
        && Arrays.equals(auditFile, other.auditFile)
        && caIdentity.equals(other.caIdentity);
  }

  @Override
  public int hashCode() {
    return certificate.hashCode();
  }

  @Override
  public String toString() {
    return "CertifiedBundle[" + certificate.certId() + ", audit " + auditFile.length + " bytes]";
  }
}
