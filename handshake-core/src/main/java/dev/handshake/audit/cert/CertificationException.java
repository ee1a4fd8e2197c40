package dev.handshake.audit.cert;

import dev.handshake.audit.ChainReport;
import java.util.Optional;

/**
 * Why {@link AuditCertifier} refused to issue a certificate. A CA signs only what it verified, so
 * an export that does not verify is refused ({@link Reason#CHAIN_INVALID}, with the report), as is
 * an export of the CA key's own chain ({@link Reason#CA_IS_AGENT}): a certificate signed by the
 * agent it is about is the reference's self-signed {@code .cert} again.
 */
public final class CertificationException extends Exception {
  /** The kind of refusal. */
  public enum Reason {
    /** Not an {@code AISS-1.0-AUDIT} export, or its identity is unusable. */
    UNREADABLE_AUDIT,
    /** Larger than a bundle may carry ({@link CertifiedBundle#MAX_AUDIT_BYTES}). */
    TOO_LARGE,
    /** No events: there is nothing to certify. */
    EMPTY_CHAIN,
    /** The CA key is the audited agent's key. */
    CA_IS_AGENT,
    /** The chain does not verify or its {@code chain_integrity_hash} does not recompute. */
    CHAIN_INVALID
  }

  private final Reason reason;
  private final transient Optional<ChainReport> report;

  CertificationException(Reason reason, String message, Optional<ChainReport> report) {
    super(message);
    this.reason = reason;
    this.report = report;
  }

  CertificationException(Reason reason, String message) {
    this(reason, message, Optional.empty());
  }

  public Reason reason() {
    return reason;
  }

  /** The verification report, for {@link Reason#CHAIN_INVALID}. */
  public Optional<ChainReport> report() {
    return report;
  }
}
