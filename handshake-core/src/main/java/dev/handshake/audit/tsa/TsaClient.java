package dev.handshake.audit.tsa;

import dev.handshake.audit.AuditEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/**
 * Asks an RFC 3161 time-stamping authority to anchor an event hash and verifies its answer
 * completely before returning it (aiss.md §3 item 9): a {@code TimeStampReq} with the event hash
 * as SHA-256 messageImprint ({@link EventImprint}), a fresh random 64-bit nonce and {@code
 * certReq}, POSTed as {@code application/timestamp-query}; the answer bounded in size and time,
 * then checked by {@link TimestampVerifier} (status, imprint, nonce echo, certificate and EKU, CMS
 * signature, chain to {@link TsaTrust}, genTime near the local clock).
 *
 * <p>The event is never modified: store the result in a {@link TimestampStore} (aiss.md §4 item
 * 26).
 *
 * <pre>{@code
 * try (TsaClient tsa = TsaClient.create(TsaConfig.of(URI.create("https://tsa.example/tsr")),
 *     TsaTrust.readPem(root), Clock.systemUTC(), new SecureRandom())) {
 *   if (tsa.timestamp(event) instanceof TimestampVerification.Verified v) sidecar.add(v.timestamp());
 * }
 * }</pre>
 */
public final class TsaClient implements AutoCloseable {
  private final TsaConfig config;
  private final TimestampVerifier verifier;
  private final Clock clock;
  private final SecureRandom random;
  private final HttpClient http;

  private TsaClient(TsaConfig config, TsaTrust trust, Clock clock, SecureRandom random) {
    this.config = config;
    this.verifier = TimestampVerifier.of(trust);
    this.clock = clock;
    this.random = random;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public static TsaClient create(
      TsaConfig config, TsaTrust trust, Clock clock, SecureRandom random) {
    return new TsaClient(config, trust, clock, random);
  }

  /** Anchors {@code event}'s hash. */
  public TimestampVerification timestamp(AuditEvent event) {
    return timestamp(event.hash());
  }

  /** Anchors a lowercase hex event hash. */
  public TimestampVerification timestamp(String eventHash) {
    byte[] imprint = EventImprint.ofEventHash(eventHash);
    byte[] nonceBytes = new byte[8];
    random.nextBytes(nonceBytes);
    BigInteger nonce = new BigInteger(1, nonceBytes);
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, imprint, nonce);
    byte[] body;
    try {
      body = request.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("a generated TimeStampReq always encodes", e);
    }
    HttpRequest post =
        HttpRequest.newBuilder(config.url())
            .timeout(config.timeout())
            .header("Content-Type", "application/timestamp-query")
            .header("Accept", "application/timestamp-reply")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    Instant sent = clock.instant();
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(post, BoundedBody.handler(config.maxResponseBytes()));
    HttpResponse<byte[]> response;
    try {
      // The request timeout covers the wait for headers only; this bounds the body too.
      response = pending.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      return failed(TsaFailure.TIMEOUT, "no complete answer within " + config.timeout());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return failed(TsaFailure.UNREACHABLE, "interrupted while waiting for the TSA");
    } catch (ExecutionException e) {
      return transportFailure(e.getCause());
    }
    if (response.statusCode() != 200) {
      return failed(TsaFailure.HTTP_STATUS, "HTTP " + response.statusCode() + " from " + config.url());
    }
    TimeStampResponse answer;
    try {
      answer = new TimeStampResponse(response.body());
    } catch (TSPException | IOException | RuntimeException e) {
      // BouncyCastle reports malformed ASN.1 with assorted unchecked exceptions.
      return failed(TsaFailure.MALFORMED, "not a TimeStampResp: " + e.getMessage());
    }
    Instant received = clock.instant();
    TimestampVerifier.Window window =
        new TimestampVerifier.Window(
            sent.minus(config.maxClockSkew()), received.plus(config.maxClockSkew()));
    return verifier.verifyResponse(
        answer, imprint, nonce, eventHash, config.url().toString(), window);
  }

  private TimestampVerification transportFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BoundedBody.TooLarge) {
        return failed(TsaFailure.OVERSIZED, t.getMessage());
      }
      if (t instanceof HttpConnectTimeoutException) {
        return failed(TsaFailure.TIMEOUT, "connecting to " + config.url() + " timed out");
      }
      if (t instanceof HttpTimeoutException) {
        return failed(TsaFailure.TIMEOUT, "no answer within " + config.timeout());
      }
      if (t instanceof ConnectException) {
        return failed(TsaFailure.UNREACHABLE, "cannot connect to " + config.url());
      }
    }
    return failed(
        TsaFailure.UNREACHABLE,
        config.url() + ": " + (cause == null ? "unknown error" : cause.toString()));
  }

  private static TimestampVerification failed(TsaFailure failure, String detail) {
    return new TimestampVerification.Failed(failure, detail);
  }

  /** Stops the HTTP client, abandoning any exchange still running. */
  @Override
  public void close() {
    http.shutdownNow();
  }
}
