/**
 * Certified audit exports (aiss.md §2.7 "Certified exports", §3 item 10): a certification
 * authority's signed {@link dev.handshake.audit.cert.AuditCertificate} bound to the exact bytes of
 * an {@code AISS-1.0-AUDIT} export, issued by {@link dev.handshake.audit.cert.AuditCertifier} as a
 * deterministic ZIP {@link dev.handshake.audit.cert.CertifiedBundle} and checked by {@link
 * dev.handshake.audit.cert.CertificateVerifier} against a CA key the verifier trusts. {@link
 * dev.handshake.audit.cert.ReferenceCertificates} reads the reference's three certification formats
 * and says what each one actually proves. docs/CERTIFICATION.md describes the formats.
 */
@NullMarked
package dev.handshake.audit.cert;

import org.jspecify.annotations.NullMarked;
