package dev.handshake.audit.cert;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainReport;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Issues certificates as a certification authority (aiss.md §3 item 10): reads an {@code
 * AISS-1.0-AUDIT} export, verifies it fully (identity binding, every signature, linkage, the signed
 * head, {@code chain_integrity_hash}) and, only if it verifies, signs an {@link AuditCertificate}
 * over the file's exact bytes with the CA key — which must not be the audited agent's key.
 *
 * <pre>{@code
 * AuditCertifier ca = AuditCertifier.create(caKey, Clock.systemUTC(), new SecureRandom());
 * byte[] bundle = ca.certify(Files.readAllBytes(audit)).toZip();
 * }</pre>
 */
public final class AuditCertifier {
  /** How long a certificate holds unless {@link #withValidity} says otherwise. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final Ed25519PrivateKey caKey;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration validity;

  private AuditCertifier(
      Ed25519PrivateKey caKey, Clock clock, SecureRandom random, Duration validity) {
    this.caKey = caKey;
    this.clock = clock;
    this.random = random;
    this.validity = validity;
  }

  /** A certifier signing with {@code caKey}; certificates hold for {@link #DEFAULT_VALIDITY}. */
  public static AuditCertifier create(Ed25519PrivateKey caKey, Clock clock, SecureRandom random) {
    return new AuditCertifier(caKey, clock, random, DEFAULT_VALIDITY);
  }

  /** The same certifier issuing certificates that hold for {@code validity} (at least a second). */
  public AuditCertifier withValidity(Duration validity) {
    if (validity.getSeconds() < 1) {
      throw new IllegalArgumentException("a certificate must hold for at least one second");
    }
    return new AuditCertifier(caKey, clock, random, validity);
  }

  /**
   * Verifies the export {@code auditFile} and certifies it.
   *
   * @throws CertificationException when the file is not an export, is empty or too large, belongs
   *     to the CA key itself, or does not verify
   */
  public CertifiedBundle certify(byte[] auditFile) throws CertificationException {
    if (auditFile.length > CertifiedBundle.MAX_AUDIT_BYTES) {
      throw new CertificationException(
          CertificationException.Reason.TOO_LARGE,
          "the export has "
              + auditFile.length
              + " bytes; a bundle carries at most "
              + CertifiedBundle.MAX_AUDIT_BYTES);
    }
    AuditExport export;
    IdentityDocument identity;
    try {
      export = AuditExport.parse(auditFile);
      identity = IdentityDocument.parse(export.identityJson(), true, false);
    } catch (AuditExport.InvalidExportException | IdentityDocument.InvalidIdentityException e) {
      throw new CertificationException(
          CertificationException.Reason.UNREADABLE_AUDIT, e.getMessage());
    }
    if (identity.publicKey().equals(caKey.publicKey())) {
      throw new CertificationException(
          CertificationException.Reason.CA_IS_AGENT,
          "refusing to certify agent "
              + identity.agentId()
              + " with its own key: a certificate must come from a CA key distinct from the"
              + " agent's");
    }
    if (export.events().isEmpty()) {
      throw new CertificationException(
          CertificationException.Reason.EMPTY_CHAIN, "the export has no events to certify");
    }
    ChainReport report = AuditChecks.report(export, identity);
    if (!AuditChecks.valid(export, report)) {
      throw new CertificationException(
          CertificationException.Reason.CHAIN_INVALID,
          export.chainIntegrityHashMatches()
              ? "the chain does not verify: " + String.join("; ", report.errors())
              : "chain_integrity_hash does not match the events",
          Optional.of(report));
    }
    Instant now = clock.instant();
    long issuedAt = now.getEpochSecond();
    AuditEvent last = export.events().getLast();
    AuditCertificate certificate =
        AuditCertificate.sign(
            caKey,
            certId(now),
            "sha256:" + Sha256.hex(auditFile),
            identity.publicKey(),
            export.events().size(),
            last.hash(),
            export.chainIntegrityHash(),
            issuedAt,
            Math.addExact(issuedAt, validity.getSeconds()));
    IdentityDocument caIdentity =
        IdentityDocument.of(caKey.publicKey(), issuedAt, Optional.empty());
    return new CertifiedBundle(certificate, auditFile, caIdentity);
  }

  /** {@code CERT-YYYYMMDD-} and 64 random bits: the reference's layout, a longer random part. */
  private String certId(Instant now) {
    byte[] bits = new byte[8];
    random.nextBytes(bits);
    return "CERT-" + DAY.format(now) + "-" + HexFormat.of().withUpperCase().formatHex(bits);
  }
}
