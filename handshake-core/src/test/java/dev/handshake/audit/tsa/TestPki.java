package dev.handshake.audit.tsa;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test PKI generated in the test: a CA, a TSA certificate it issued with the sole critical
 * timeStamping extended key usage (RFC 3161 §2.3), and a second certificate for the same TSA key
 * without that usage. EC P-256 keys, certificates valid from yesterday for a year.
 */
public record TestPki(
    KeyPair caKey, X509Certificate ca, KeyPair tsaKey, X509Certificate tsa, X509Certificate tsaWithoutEku) {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A fresh PKI whose names include {@code name}. */
  public static TestPki generate(String name) {
    try {
      KeyPair caKey = ecKey();
      KeyPair tsaKey = ecKey();
      X500Name caName = new X500Name("CN=" + name + " Test Root CA,O=Handshake Tests");
      X500Name tsaName = new X500Name("CN=" + name + " Test TSA,O=Handshake Tests");
      X509Certificate ca = certificate(caName, caKey.getPublic(), caName, caKey.getPrivate(), Kind.CA);
      X509Certificate tsa =
          certificate(tsaName, tsaKey.getPublic(), caName, caKey.getPrivate(), Kind.TSA);
      X509Certificate plain =
          certificate(tsaName, tsaKey.getPublic(), caName, caKey.getPrivate(), Kind.NO_EKU);
      return new TestPki(caKey, ca, tsaKey, tsa, plain);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Trust in this PKI's CA. */
  public TsaTrust trust() {
    return TsaTrust.of(List.of(ca));
  }

  /** The CA certificate in PEM, as an operator would configure it. */
  public byte[] caPem() {
    try {
      return ("-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(ca.getEncoded())
              + "\n-----END CERTIFICATE-----\n")
          .getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private enum Kind { CA, TSA, NO_EKU }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(
      X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey, Kind kind)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
            subject, key);
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
    if (kind == Kind.CA) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      if (kind == Kind.TSA) {
        b.addExtension(
            Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      }
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }
}
