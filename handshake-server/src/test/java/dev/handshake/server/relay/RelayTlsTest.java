package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keep.md §3 item 3: the optional TLS listener speaks the same framing inside TLS. */
class RelayTlsTest {
  private static final char[] PASSWORD = "test-pass".toCharArray();

  @Test
  @DisplayName("3 [ours]: a signed packet over the TLS listener gets the same done bytes")
  void tlsListenerAnswersLikePlain(@TempDir Path dir) throws Exception {
    Path keyStore = dir.resolve("relay.p12");
    Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", keyStore.toString(), "-storepass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

    RelayEngine engine = new RelayEngine(RelayConfig.defaults(), Clock.systemUTC());
    RelayListener.Tls tls = new RelayListener.Tls("127.0.0.1", 0, RelayTls.fromPkcs12(keyStore, PASSWORD));
    try (RelayListener listener = RelayListener.start("127.0.0.1", 0, engine, 1, tls);
        SSLSocket socket = (SSLSocket) trusting(keyStore).getSocketFactory()
            .createSocket("127.0.0.1", listener.tlsAddress().orElseThrow().getPort())) {
      socket.setSoTimeout(5000);
      AskVector vector = AskVector.minimalAsk();
      socket.getOutputStream().write(vector.frame());
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] reply = new byte[in.readInt()];
      in.readFully(reply);
      assertThat(HexFormat.of().formatHex(reply)).isEqualTo(vector.replyHex());
      assertThat(Packet.parseFrom(reply).getBody()).isEqualTo(KeepPackets.DONE);
    }
  }

  private static SSLContext trusting(Path keyStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("relay", store.getCertificate("relay"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** The minimal_ask vector: its frame and the exact reply. */
  private record AskVector(byte[] frame, String replyHex) {
    static AskVector minimalAsk() {
      var ask = KeepConformanceTest.vector("packets", "minimal_ask");
      return new AskVector(
          HexFormat.of().parseHex(ask.path("frame_hex").stringValue()),
          ask.path("expect").path("reply_packet_hex").stringValue());
    }
  }
}
