package dev.handshake.audit.tsa;

/**
 * Why no trusted timestamp was obtained or why a token does not verify. Each value is one check of
 * aiss.md §3 item 9, so a caller (and a user reading {@link #label()}) knows exactly what failed.
 */
public enum TsaFailure {
  /** The TSA could not be reached (connection refused, DNS, TLS, reset). */
  UNREACHABLE("unreachable"),
  /** The TSA did not answer within the configured time. */
  TIMEOUT("timeout"),
  /** The TSA answered with an HTTP status other than 200. */
  HTTP_STATUS("http-status"),
  /** The answer was larger than the configured bound and was cut off. */
  OVERSIZED("oversized"),
  /** The bytes are not a TimeStampResp / TimeStampToken. */
  MALFORMED("malformed"),
  /** The TSA's PKIStatus is neither granted nor grantedWithMods. */
  NOT_GRANTED("not-granted"),
  /** The reference event has a {@code trusted_timestamp} without token bytes (pending). */
  NO_TOKEN("no-token"),
  /** The token's messageImprint is not SHA-256 of what was to be anchored. */
  IMPRINT_MISMATCH("imprint-mismatch"),
  /** The request carried a nonce and the token carries none. */
  NONCE_MISSING("nonce-missing"),
  /** The token's nonce is not the request's. */
  NONCE_MISMATCH("nonce-mismatch"),
  /** The token does not contain the certificate that signed it. */
  SIGNER_CERTIFICATE_MISSING("signer-certificate-missing"),
  /** The signing certificate lacks the sole, critical timeStamping extended key usage. */
  NOT_TIMESTAMPING_CERTIFICATE("not-timestamping-certificate"),
  /** The CMS signature (or its signing-certificate attribute) does not verify. */
  INVALID_SIGNATURE("invalid-signature"),
  /** The signing certificate does not chain to a configured root at genTime. */
  UNTRUSTED_CHAIN("untrusted-chain"),
  /** A fresh token's genTime is too far from the local clock at request time. */
  GEN_TIME_OUT_OF_RANGE("gen-time-out-of-range"),
  /** A stored record's event hash, genTime or TSA name is not what its token says. */
  RECORD_MISMATCH("record-mismatch");

  private final String label;

  TsaFailure(String label) {
    this.label = label;
  }

  /** A short lowercase name for reports and the command line. */
  public String label() {
    return label;
  }
}
