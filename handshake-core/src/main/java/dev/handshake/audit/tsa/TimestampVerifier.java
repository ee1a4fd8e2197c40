package dev.handshake.audit.tsa;

import dev.handshake.audit.AuditEvent;
import dev.handshake.crypto.Base64Text;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.bouncycastle.util.Store;
import tools.jackson.databind.JsonNode;

/**
 * Verifies RFC 3161 tokens completely (aiss.md §3 item 9): SHA-256 messageImprint equal to what
 * was anchored ({@link EventImprint}), nonce echo when one was sent, the signing certificate
 * present with the sole critical timeStamping extended key usage, the CMS signature and its
 * signing-certificate attribute ({@link TimeStampToken#validate}), and the certificate path to a
 * configured root at genTime ({@link TsaTrust}). The reference checked none of these.
 *
 * <p>Used for fresh answers ({@link TsaClient}), for tokens read back from the sidecar ({@link
 * #verifyStored}, offline) and for tokens embedded in reference events ({@link #verifyReference}).
 */
public final class TimestampVerifier {
  static final String TRUSTED_TIMESTAMP = "trusted_timestamp";
  private static final String BASE64_PREFIX = "base64:";

  private final TsaTrust trust;

  private TimestampVerifier(TsaTrust trust) {
    this.trust = trust;
  }

  public static TimestampVerifier of(TsaTrust trust) {
    return new TimestampVerifier(trust);
  }

  /** The interval a fresh token's genTime must fall in (request time ± allowed skew). */
  record Window(Instant from, Instant to) {}

  /**
   * Re-verifies a sidecar record offline: its token must anchor {@link
   * TrustedTimestamp#eventHash()} and verify fully, and the record's genTime and TSA name must be
   * the token's (a row edited in the database is caught).
   */
  public TimestampVerification verifyStored(TrustedTimestamp stored) {
    TimeStampToken token;
    try {
      token = new TimeStampToken(ContentInfo.getInstance(stored.token()));
    } catch (TSPException | IOException | RuntimeException e) {
      // BouncyCastle reports malformed ASN.1 with assorted unchecked exceptions.
      return malformed("stored token", e);
    }
    TimestampVerification result =
        verifyToken(
            token, EventImprint.ofEventHash(stored.eventHash()), Optional.empty(),
            stored.eventHash(), stored.source(), Optional.empty());
    if (result instanceof TimestampVerification.Verified v) {
      TrustedTimestamp derived = v.timestamp();
      if (!derived.genTime().equals(stored.genTime()) || !derived.tsa().equals(stored.tsa())) {
        return new TimestampVerification.Failed(
            TsaFailure.RECORD_MISMATCH,
            "stored genTime " + stored.genTime() + " / TSA " + stored.tsa()
                + " but the token says " + derived.genTime() + " / " + derived.tsa());
      }
    }
    return result;
  }

  /**
   * Verifies the token a reference event carries in its unsigned {@code trusted_timestamp} field
   * ({@code token}, or {@code rfc3161_token} of the AISS-2 shape: {@code "base64:"} + a whole
   * TimeStampResp, or a bare TimeStampToken). The imprint is the reference's ({@link
   * EventImprint}); reference requests carry no nonce, so none is checked.
   *
   * @return empty when the event has no {@code trusted_timestamp}; {@link TsaFailure#NO_TOKEN}
   *     when it has one without token bytes (the reference's "pending")
   */
  public Optional<TimestampVerification> verifyReference(AuditEvent event) {
    JsonNode annotation = event.json().path(TRUSTED_TIMESTAMP);
    if (annotation.isMissingNode()) {
      return Optional.empty();
    }
    String text = annotation.path("token").stringValue("");
    if (text.isEmpty()) {
      text = annotation.path("rfc3161_token").stringValue("");
    }
    if (text.isEmpty()) {
      return Optional.of(
          new TimestampVerification.Failed(
              TsaFailure.NO_TOKEN,
              "trusted_timestamp has no token (status "
                  + annotation.path("status").stringValue("?") + ")"));
    }
    String base64 = text.startsWith(BASE64_PREFIX) ? text.substring(BASE64_PREFIX.length()) : text;
    Optional<byte[]> der = Base64Text.decodeStrict(base64);
    if (der.isEmpty()) {
      return Optional.of(
          new TimestampVerification.Failed(TsaFailure.MALFORMED, "token is not Base64"));
    }
    String source = "reference:" + annotation.path("url").stringValue(
        annotation.path("authority").stringValue(""));
    Optional<TimeStampToken> token;
    try {
      TimeStampResponse response = new TimeStampResponse(der.get());
      Optional<TimestampVerification> refused = statusProblem(response);
      if (refused.isPresent()) {
        return refused;
      }
      token = Optional.ofNullable(response.getTimeStampToken());
    } catch (TSPException | IOException | RuntimeException notAResponse) {
      // Not a TimeStampResp: the field may hold the token alone.
      try {
        token = Optional.of(new TimeStampToken(ContentInfo.getInstance(der.get())));
      } catch (TSPException | IOException | RuntimeException e) {
        return Optional.of(malformed("reference token", e));
      }
    }
    if (token.isEmpty()) {
      return Optional.of(
          new TimestampVerification.Failed(TsaFailure.MALFORMED, "granted response without token"));
    }
    List<byte[]> imprints = new ArrayList<>();
    imprints.add(EventImprint.referenceWithoutTimestamp(event));
    if ("AISS-2.0".equals(event.version())) {
      imprints.add(EventImprint.referenceWithPendingPlaceholder(event));
    }
    byte[] tokenImprint = token.get().getTimeStampInfo().getMessageImprintDigest();
    byte[] expected =
        imprints.stream().filter(i -> MessageDigest.isEqual(i, tokenImprint)).findFirst()
            .orElse(imprints.getFirst());
    return Optional.of(
        verifyToken(token.get(), expected, Optional.empty(), event.hash(), source, Optional.empty()));
  }

  /** A TSA's answer to a request of ours: status, then {@link #verifyToken}. */
  TimestampVerification verifyResponse(
      TimeStampResponse response,
      byte[] imprint,
      BigInteger nonce,
      String eventHash,
      String source,
      Window window) {
    Optional<TimestampVerification> refused = statusProblem(response);
    if (refused.isPresent()) {
      return refused.get();
    }
    TimeStampToken token = response.getTimeStampToken();
    if (token == null) {
      return new TimestampVerification.Failed(TsaFailure.MALFORMED, "granted response without token");
    }
    return verifyToken(token, imprint, Optional.of(nonce), eventHash, source, Optional.of(window));
  }

  private static Optional<TimestampVerification> statusProblem(TimeStampResponse response) {
    int status = response.getStatus();
    if (status == 0 || status == 1) {
      return Optional.empty();
    }
    String text = response.getStatusString();
    return Optional.of(
        new TimestampVerification.Failed(
            TsaFailure.NOT_GRANTED,
            "PKIStatus " + status + (text == null ? "" : " (" + text + ")")
                + (response.getFailInfo() == null
                    ? ""
                    : ", failInfo " + response.getFailInfo().intValue())));
  }

  /** Every token check, in an order that names the most specific failure first. */
  TimestampVerification verifyToken(
      TimeStampToken token,
      byte[] expectedImprint,
      Optional<BigInteger> expectedNonce,
      String eventHash,
      String source,
      Optional<Window> window) {
    TimeStampTokenInfo info = token.getTimeStampInfo();
    if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())) {
      return failed(
          TsaFailure.IMPRINT_MISMATCH,
          "messageImprint algorithm " + info.getMessageImprintAlgOID() + ", expected SHA-256");
    }
    if (!MessageDigest.isEqual(info.getMessageImprintDigest(), expectedImprint)) {
      return failed(
          TsaFailure.IMPRINT_MISMATCH,
          "messageImprint " + HexFormat.of().formatHex(info.getMessageImprintDigest())
              + ", expected " + HexFormat.of().formatHex(expectedImprint));
    }
    if (expectedNonce.isPresent()) {
      BigInteger nonce = info.getNonce();
      if (nonce == null) {
        return failed(TsaFailure.NONCE_MISSING, "the request's nonce is not in the token");
      }
      if (!nonce.equals(expectedNonce.get())) {
        return failed(TsaFailure.NONCE_MISMATCH, "the token answers another request's nonce");
      }
    }
    Store<X509CertificateHolder> store = token.getCertificates();
    Collection<X509CertificateHolder> matches = signerCertificates(token);
    if (matches.isEmpty()) {
      return failed(
          TsaFailure.SIGNER_CERTIFICATE_MISSING,
          "the token does not carry its signing certificate (was certReq honoured?)");
    }
    X509CertificateHolder signerHolder = matches.iterator().next();
    Optional<String> eku = timeStampingProblem(signerHolder);
    if (eku.isPresent()) {
      return failed(
          TsaFailure.NOT_TIMESTAMPING_CERTIFICATE,
          signerHolder.getSubject() + ": " + eku.get() + " (RFC 3161 §2.3)");
    }
    try {
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signerHolder));
    } catch (TSPException | OperatorCreationException | CertificateException
        | IllegalArgumentException e) {
      return failed(TsaFailure.INVALID_SIGNATURE, String.valueOf(e.getMessage()));
    }
    Date genTime = info.getGenTime();
    X509Certificate signer;
    List<X509Certificate> carried = new ArrayList<>();
    try {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      signer = converter.getCertificate(signerHolder);
      for (X509CertificateHolder h : store.getMatches(null)) {
        carried.add(converter.getCertificate(h));
      }
    } catch (CertificateException e) {
      return failed(TsaFailure.MALFORMED, "certificate: " + e.getMessage());
    }
    Optional<String> untrusted = trust.problem(signer, carried, genTime);
    if (untrusted.isPresent()) {
      return failed(TsaFailure.UNTRUSTED_CHAIN, untrusted.get());
    }
    Instant at = genTime.toInstant();
    if (window.isPresent() && (at.isBefore(window.get().from()) || at.isAfter(window.get().to()))) {
      return failed(
          TsaFailure.GEN_TIME_OUT_OF_RANGE,
          "genTime " + at + " outside " + window.get().from() + " .. " + window.get().to());
    }
    byte[] der;
    try {
      der = token.getEncoded();
    } catch (IOException e) {
      return failed(TsaFailure.MALFORMED, "token cannot be re-encoded: " + e.getMessage());
    }
    return new TimestampVerification.Verified(
        TrustedTimestamp.of(
            eventHash, at, signer.getSubjectX500Principal().getName(), source, der));
  }

  // SignerId is a raw Selector; it selects X509CertificateHolders from this store.
  @SuppressWarnings("unchecked")
  private static Collection<X509CertificateHolder> signerCertificates(TimeStampToken token) {
    return token.getCertificates().getMatches(token.getSID());
  }

  private static Optional<String> timeStampingProblem(X509CertificateHolder cert) {
    Extension ext = cert.getExtension(Extension.extendedKeyUsage);
    if (ext == null) {
      return Optional.of("no extended key usage");
    }
    if (!ext.isCritical()) {
      return Optional.of("extended key usage is not critical");
    }
    ExtendedKeyUsage eku = ExtendedKeyUsage.getInstance(ext.getParsedValue());
    if (!eku.hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping) || eku.size() != 1) {
      return Optional.of("extended key usage is not solely timeStamping");
    }
    return Optional.empty();
  }

  private static TimestampVerification failed(TsaFailure failure, String detail) {
    return new TimestampVerification.Failed(failure, detail);
  }

  private static TimestampVerification.Failed malformed(String what, Exception e) {
    return new TimestampVerification.Failed(
        TsaFailure.MALFORMED, what + " is not an RFC 3161 token: " + e.getMessage());
  }
}
