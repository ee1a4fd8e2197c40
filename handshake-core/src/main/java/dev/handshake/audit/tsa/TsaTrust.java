package dev.handshake.audit.tsa;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates a TSA's signing certificate must chain to (aiss.md §3 item 9): the roots an
 * operator configured, usually the TSA operator's CA certificate in PEM. A TSA's own certificate
 * may be configured instead (pinning); it is then accepted as is, within its validity.
 *
 * <p>The chain is validated with the JDK's PKIX {@link CertPathValidator} at the token's genTime,
 * so a token stays verifiable after the TSA certificate expires. Revocation is not checked: the
 * check must work offline, years later (docs/TIMESTAMPS.md).
 */
public final class TsaTrust {
  /** Bound on a trust-roots file: a PEM bundle is a few kilobytes. */
  static final long MAX_PEM_BYTES = 1 << 20;

  private static final int MAX_PATH = 8;

  private final List<X509Certificate> roots;
  private final Set<TrustAnchor> anchors;

  private TsaTrust(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
    Set<TrustAnchor> set = new LinkedHashSet<>();
    roots.forEach(r -> set.add(new TrustAnchor(r, null)));
    this.anchors = Set.copyOf(set);
  }

  /** Trust in {@code roots} (at least one). */
  public static TsaTrust of(Collection<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no TSA trust roots");
    }
    return new TsaTrust(new ArrayList<>(roots));
  }

  /** No roots: every token then fails with {@link TsaFailure#UNTRUSTED_CHAIN}. */
  public static TsaTrust none() {
    return new TsaTrust(List.of());
  }

  /**
   * Reads every certificate of a PEM (or DER) file.
   *
   * @throws CertificateException when the file holds no certificate or is not one
   */
  public static TsaTrust readPem(Path file) throws IOException, CertificateException {
    if (Files.size(file) > MAX_PEM_BYTES) {
      throw new CertificateException(file + " is larger than " + MAX_PEM_BYTES + " bytes");
    }
    return parse(Files.readAllBytes(file));
  }

  /** {@link #readPem} from bytes. */
  public static TsaTrust parse(byte[] pemOrDer) throws CertificateException {
    List<X509Certificate> certs = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(pemOrDer)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
    } catch (IOException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new CertificateException("no certificate found");
    }
    return new TsaTrust(certs);
  }

  /** The configured roots. */
  public List<X509Certificate> roots() {
    return roots;
  }

  /**
   * Why {@code signer} is not trusted at {@code at}, or empty when it chains to a root.
   *
   * @param candidates intermediate certificates the token carried
   */
  Optional<String> problem(X509Certificate signer, Collection<X509Certificate> candidates, Date at) {
    if (roots.isEmpty()) {
      return Optional.of("no TSA trust roots configured");
    }
    if (roots.contains(signer)) {
      try {
        signer.checkValidity(at);
        return Optional.empty();
      } catch (CertificateException e) {
        return Optional.of("pinned TSA certificate not valid at genTime: " + e.getMessage());
      }
    }
    List<X509Certificate> path = path(signer, candidates);
    try {
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(at);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      return Optional.of(
          "certificate path of " + signer.getSubjectX500Principal().getName()
              + " does not validate to a configured root at genTime: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      return Optional.of("certificate path cannot be validated: " + e.getMessage());
    }
  }

  /**
   * Signer first, then each issuer found among {@code candidates}, stopping below a configured
   * root (PKIX wants the path without its anchor).
   */
  private List<X509Certificate> path(
      X509Certificate signer, Collection<X509Certificate> candidates) {
    List<X509Certificate> path = new ArrayList<>();
    path.add(signer);
    X509Certificate current = signer;
    while (path.size() < MAX_PATH && !issuedByRoot(current)) {
      X509Certificate tip = current;
      Optional<X509Certificate> issuer =
          candidates.stream()
              .filter(c -> !path.contains(c) && !roots.contains(c))
              .filter(c -> c.getSubjectX500Principal().equals(tip.getIssuerX500Principal()))
              .findFirst();
      if (issuer.isEmpty()) {
        break;
      }
      path.add(issuer.get());
      current = issuer.get();
    }
    return path;
  }

  private boolean issuedByRoot(X509Certificate cert) {
    return roots.stream()
        .anyMatch(r -> r.getSubjectX500Principal().equals(cert.getIssuerX500Principal()));
  }

  @Override
  public String toString() {
    return "TsaTrust" + roots.stream().map(r -> r.getSubjectX500Principal().getName()).toList();
  }
}
