package dev.handshake.audit.cert;

import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainReport;
import java.util.Optional;

/**
 * The outcome of checking a certification bundle with {@link CertificateVerifier}: {@link Valid}
 * with the certificate, the export and its chain report, or {@link Invalid} with the first failed
 * check.
 */
public sealed interface CertificateVerification {
  boolean valid();

  /**
   * Every check passed: the trusted CA signed the certificate, it is within its validity, it
   * describes the bundled export's exact bytes, and the chain verifies.
   */
  record Valid(AuditCertificate certificate, AuditExport audit, ChainReport report)
      implements CertificateVerification {
    @Override
    public boolean valid() {
      return true;
    }
  }

  /**
   * A check failed.
   *
   * @param certificate present only once the CA signature verified, so what it says is the CA's
   * @param report present for {@link Failure#CHAIN_INVALID}
   */
  record Invalid(
      Failure failure,
      String detail,
      Optional<AuditCertificate> certificate,
      Optional<ChainReport> report)
      implements CertificateVerification {
    @Override
    public boolean valid() {
      return false;
    }
  }

  /** Which check failed, in the order they run. */
  enum Failure {
    /** Not a ZIP the bounded reader accepts, or not exactly our members. */
    MALFORMED_BUNDLE,
    /** {@code certificate.json} is not JSON or, once signed, not a certificate. */
    MALFORMED_CERTIFICATE,
    /** Signed by, or naming, a CA other than the trusted one. */
    UNTRUSTED_ISSUER,
    /** The signature does not verify with the trusted CA key. */
    BAD_SIGNATURE,
    /** {@code issued_at} is later than the time of the check. */
    NOT_YET_VALID,
    /** The time of the check is at or after {@code expires_at}. */
    EXPIRED,
    /** {@code audit.json} is not the file the certificate hashed. */
    AUDIT_HASH_MISMATCH,
    /** {@code audit.json} is not a readable export (the CA certified something unreadable). */
    AUDIT_UNREADABLE,
    /** The export's agent, event count or head differ from what the certificate states. */
    CERTIFICATE_MISMATCH,
    /** The export's chain does not verify today. */
    CHAIN_INVALID
  }
}
