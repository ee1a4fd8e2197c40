package dev.handshake.audit.cert;

import java.util.List;

/**
 * What one of the reference's certification artefacts proves, read by {@link ReferenceCertificates}
 * (aiss.md §2.7, §3 item 10). The reference reports these artefacts as "certified"; this record
 * says who actually signed, what the signature is tied to, and every defect found.
 *
 * @param signatureValid the signature verifies the way the reference computes it
 * @param signer whose key made it
 * @param binding what the signed content commits to
 * @param bindingHolds that commitment matches the audit at hand (false for {@link
 *     AuditBinding#NONE})
 * @param findings the defects, in words, for people reading a report
 */
public record ReferenceCertificateCheck(
    Artefact artefact,
    boolean signatureValid,
    Signer signer,
    AuditBinding binding,
    boolean bindingHolds,
    List<String> findings) {
  public ReferenceCertificateCheck {
    findings = List.copyOf(findings);
  }

  /** The reference's certification formats. */
  public enum Artefact {
    /** The {@code certification} block inside an export ({@code export_certified}). */
    INLINE_CERTIFICATION,
    /** The {@code <audit>.cert} file ({@code AISS-CERT-1}, {@code piqrypt export --certified}). */
    CERT_SIDE_FILE,
    /** The {@code PIQRYPT-CERTIFIED-1.0} JSON with a CA attestation ({@code certify-verify}). */
    CA_ATTESTATION,
    /** The {@code PIQRYPT-CERT-1.0} certificate inside a tier bundle ZIP. */
    TIER_CERTIFICATE
  }

  /** Whose key signed. */
  public enum Signer {
    /** The audited agent's own key: no third party vouches for anything. */
    AGENT_SELF_SIGNED,
    /** A key other than the agent's, supplied by the caller as the CA key. */
    CA
  }

  /** What ties the signature to an audit. */
  public enum AuditBinding {
    /** Only {@code chain_integrity_hash}: identity, metadata and export time are not covered. */
    CHAIN_INTEGRITY_HASH,
    /** SHA-256 of the exact file bytes. */
    EXACT_FILE_BYTES,
    /** SHA-256 of Python {@code json.dumps(sort_keys=True)} of the parsed audit. */
    PYTHON_JSON_DUMPS,
    /** Nothing: the signed content contains no hash of the audit. */
    NONE
  }

  /**
   * Whether the artefact shows that someone other than the agent vouched for this very audit:
   * signature valid, signed by a CA key, and bound to the audit. The reference's {@code .cert} and
   * inline block never are (self-signed); its CA attestation never is (not bound).
   */
  public boolean independentlyCertified() {
    return signatureValid && signer == Signer.CA && binding != AuditBinding.NONE && bindingHolds;
  }
}
