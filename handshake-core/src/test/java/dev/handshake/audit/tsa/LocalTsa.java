package dev.handshake.audit.tsa;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.handshake.crypto.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A real RFC 3161 time-stamping authority for tests: BouncyCastle's {@link
 * TimeStampTokenGenerator} behind the JDK's {@link HttpServer} on 127.0.0.1 and an ephemeral
 * port, signing with the TSA certificate of a {@link TestPki}. {@link #behave} makes it misbehave
 * in one specific way at a time, so each client check is shown to fail for its own reason.
 */
public final class LocalTsa implements AutoCloseable {
  /** The TSA policy OID our test TSA states. */
  public static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.59999.3161.1");

  /** How the TSA answers the next requests. */
  public enum Behaviour {
    /** A correct token for the request. */
    GRANT,
    /** A correct token for another digest (same nonce). */
    WRONG_IMPRINT,
    /** A token without the request's nonce. */
    NO_NONCE,
    /** A token with another nonce. */
    OTHER_NONCE,
    /** PKIStatus rejection. */
    REJECT,
    /** A token signed under the TSA certificate that lacks the timeStamping EKU. */
    NO_EKU,
    /** 4 MiB of zeros, chunked (no Content-Length). */
    OVERSIZED,
    /** HTTP 503. */
    HTTP_ERROR,
    /** Never answers until the TSA is closed. */
    HANG
  }

  private final TestPki pki;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong serial = new AtomicLong(1);
  private final AtomicInteger requests = new AtomicInteger();
  private final TimeStampResponseGenerator responses;
  private volatile Behaviour behaviour = Behaviour.GRANT;
  private volatile @Nullable TimeStampRequest lastRequest;
  private volatile Duration shift = Duration.ZERO;

  private LocalTsa(TestPki pki) throws IOException {
    this.pki = pki;
    try {
      SignerInfoGenerator signer =
          new JcaSimpleSignerInfoGeneratorBuilder()
              .build("SHA256withECDSA", pki.tsaKey().getPrivate(), pki.tsa());
      TimeStampTokenGenerator tokens =
          new TimeStampTokenGenerator(
              signer,
              new JcaDigestCalculatorProviderBuilder().build()
                  .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
              POLICY);
      tokens.addCertificates(new JcaCertStore(List.of(pki.tsa())));
      responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
    } catch (GeneralSecurityException | OperatorCreationException | TSPException e) {
      throw new IllegalStateException(e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/tsr", this::handle);
    server.start();
  }

  /** Starts a granting TSA for {@code pki}. */
  public static LocalTsa start(TestPki pki) throws IOException {
    return new LocalTsa(pki);
  }

  public LocalTsa behave(Behaviour next) {
    behaviour = next;
    return this;
  }

  /** Stamps genTime {@code by} away from the real time (within the client's allowed skew). */
  public LocalTsa shiftClock(Duration by) {
    shift = by;
    return this;
  }

  private Date now() {
    return Date.from(Instant.now().plus(shift));
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsr");
  }

  /** How many HTTP requests reached the TSA. */
  public int requests() {
    return requests.get();
  }

  /** The last request answered, if any. */
  public Optional<TimeStampRequest> lastRequest() {
    return Optional.ofNullable(lastRequest);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(64 * 1024);
      switch (behaviour) {
        case HANG -> {
          try {
            closing.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        case OVERSIZED -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            byte[] zeros = new byte[64 * 1024];
            for (int i = 0; i < 64; i++) {
              out.write(zeros);
            }
          } catch (IOException clientGaveUp) {
            // Expected: the client cancels once it has seen too much.
          }
        }
        case HTTP_ERROR -> {
          byte[] text = "busy".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(503, text.length);
          exchange.getResponseBody().write(text);
        }
        default -> {
          byte[] der;
          try {
            der = respond(new TimeStampRequest(body)).getEncoded();
          } catch (TSPException e) {
            throw new IOException(e);
          }
          exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
          exchange.sendResponseHeaders(200, der.length);
          exchange.getResponseBody().write(der);
        }
      }
    }
  }

  /** The TSA's answer to {@code request} under the current behaviour (for direct use too). */
  public TimeStampResponse respond(TimeStampRequest request) throws TSPException, IOException {
    lastRequest = request;
    BigInteger number = BigInteger.valueOf(serial.getAndIncrement());
    byte[] digest = request.getMessageImprintDigest();
    BigInteger nonce = request.getNonce();
    return switch (behaviour) {
      case REJECT ->
          responses.generateFailResponse(
              PKIStatus.REJECTION, PKIFailureInfo.badRequest, "test TSA refuses");
      case WRONG_IMPRINT ->
          responses.generate(
              request(Sha256.digest("another document".getBytes(StandardCharsets.UTF_8)), nonce), number, now());
      case NO_NONCE -> responses.generate(request(digest, null), number, now());
      case OTHER_NONCE ->
          responses.generate(
              request(digest, nonce == null ? BigInteger.ONE : nonce.add(BigInteger.ONE)),
              number, now());
      case NO_EKU -> withoutEku(request, number);
      default -> responses.generate(request, number, now());
    };
  }

  private static TimeStampRequest request(byte[] digest, @Nullable BigInteger nonce) {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    return nonce == null
        ? g.generate(TSPAlgorithms.SHA256, digest)
        : g.generate(TSPAlgorithms.SHA256, digest, nonce);
  }

  /**
   * What a TSA would send if it signed under a certificate without the timeStamping EKU.
   * BouncyCastle's token generator refuses such a certificate, so the token is assembled from its
   * ASN.1 and CMS classes instead: TSTInfo, a SigningCertificateV2 attribute, CMS SignedData.
   */
  private TimeStampResponse withoutEku(TimeStampRequest request, BigInteger number)
      throws TSPException, IOException {
    try {
      TSTInfo info =
          new TSTInfo(
              POLICY,
              new MessageImprint(
                  new AlgorithmIdentifier(request.getMessageImprintAlgOID()),
                  request.getMessageImprintDigest()),
              new ASN1Integer(number),
              new ASN1GeneralizedTime(now()),
              null,
              ASN1Boolean.FALSE,
              request.getNonce() == null ? null : new ASN1Integer(request.getNonce()),
              null,
              null);
      var cert = pki.tsaWithoutEku();
      ESSCertIDv2 certId =
          new ESSCertIDv2(
              MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()),
              new IssuerSerial(
                  new GeneralNames(
                      new GeneralName(X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()))),
                  cert.getSerialNumber()));
      AttributeTable signed =
          new AttributeTable(
              new Attribute(
                  PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                  new DERSet(new SigningCertificateV2(certId))));
      SignerInfoGenerator signer =
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signed))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.tsaKey().getPrivate()), cert);
      CMSSignedDataGenerator cms = new CMSSignedDataGenerator();
      cms.addSignerInfoGenerator(signer);
      cms.addCertificates(new JcaCertStore(List.of(cert)));
      CMSSignedData data =
          cms.generate(
              new CMSProcessableByteArray(
                  PKCSObjectIdentifiers.id_ct_TSTInfo, info.getEncoded(ASN1Encoding.DER)),
              true);
      return new TimeStampResponse(
          new TimeStampResp(new PKIStatusInfo(PKIStatus.granted), data.toASN1Structure()));
    } catch (GeneralSecurityException | OperatorCreationException | CMSException e) {
      throw new TSPException("cannot build the no-EKU token: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
