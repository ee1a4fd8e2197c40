package dev.handshake.server.relay;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * Builds the server side of the optional TLS relay listener from a PKCS#12 key store (one key
 * and its certificate chain), e.g. made with {@code keytool -genkeypair -storetype PKCS12}.
 */
public final class RelayTls {
  private RelayTls() {}

  public static SslContext fromPkcs12(Path keyStore, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return SslContextBuilder.forServer(kmf).protocols("TLSv1.3", "TLSv1.2").build();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use " + keyStore + " as a TLS key store: " + e.getMessage(), e);
    }
  }
}
