package dev.handshake.bench;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread Ed25519 verifications per second over the sign payload of a typical keep packet
 * (keep.md §3 item 13): BouncyCastle's {@code rfc8032.Ed25519} with the raw 32-byte key (decodes
 * the point every call), with a decoded {@link Ed25519.PublicPoint} (what a relay connection
 * reuses for its next packets), the key decoding on its own, and the JDK's SunEC provider with
 * and without importing the key from its X.509 form. {@code bcSign} is the client's cost per
 * packet. Run: {@code java -jar handshake-bench/target/benchmarks.jar Ed25519Bench}; {@code -p
 * payload=60k} uses the sign payload of a packet with a 60,000-byte body instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class Ed25519Bench {
  /** {@code typical}: the 65-byte sign payload of a 165-byte packet; {@code 60k}: a 60,000-byte body. */
  @Param({"typical"})
  public String payload;

  private Ed25519PrivateKey key;
  private byte[] message;
  private byte[] signature;
  private byte[] rawKey;
  private byte[] x509Key;
  private Ed25519.PublicPoint point;
  private KeyFactory keyFactory;
  private PublicKey jdkKey;
  private Signature jdkVerifier;

  @Setup
  public void setup() throws Exception {
    key = KeepFixtures.key(1);
    String id = "3f2b8c1e-5d4a-4e9b-9c0d-7a6b5e4f3d2c";
    Packet packet =
        payload.equals("60k")
            ? KeepPackets.sign(
                Packet.newBuilder().setId(id).setSrc("bot:alice").setDst("server").setBody("x".repeat(60_000)).build(),
                key)
            : KeepFixtures.typical(key, id, "bot:alice", "server", KeepFixtures.TYPICAL_PACKET_BYTES);
    message = KeepPackets.signPayload(packet);
    signature = packet.getSig().toByteArray();
    rawKey = packet.getPk().toByteArray();
    x509Key = KeepFixtures.x509(rawKey);
    point = Ed25519.validatePublicKeyPartialExport(rawKey, 0);
    keyFactory = KeyFactory.getInstance("Ed25519");
    jdkKey = keyFactory.generatePublic(new X509EncodedKeySpec(x509Key));
    jdkVerifier = Signature.getInstance("Ed25519");
    if (!bcVerifyRawKey() || !bcVerifyPublicPoint() || !jdkVerifyWithImport() || !jdkVerifyImportedKey()) {
      throw new IllegalStateException("fixture signature does not verify");
    }
    System.out.printf(
        "%n[Ed25519Bench] packet %d bytes, sign payload %d bytes, JDK provider %s%n",
        packet.getSerializedSize(), message.length, jdkVerifier.getProvider());
  }

  /** BouncyCastle, raw key bytes: decompresses the public point on every call. */
  @Benchmark
  public boolean bcVerifyRawKey() {
    return Ed25519.verify(signature, 0, rawKey, 0, message, 0, message.length);
  }

  /** BouncyCastle with a point decoded once ({@code validatePublicKeyPartialExport}). */
  @Benchmark
  public boolean bcVerifyPublicPoint() {
    return Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /** The point decoding alone (a fresh key per packet pays it on top of the verify). */
  @Benchmark
  public Ed25519.PublicPoint bcDecodePublicPoint() {
    return Ed25519.validatePublicKeyPartialExport(rawKey, 0);
  }

  /** JDK SunEC, importing the key from {@code 302a300506032b6570032100 || pk} per packet. */
  @Benchmark
  public boolean jdkVerifyWithImport() throws Exception {
    PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509Key));
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(k);
    s.update(message);
    return s.verify(signature);
  }

  /** JDK SunEC with the key imported once and one reused {@link Signature}. */
  @Benchmark
  public boolean jdkVerifyImportedKey() throws Exception {
    jdkVerifier.initVerify(jdkKey);
    jdkVerifier.update(message);
    return jdkVerifier.verify(signature);
  }

  /** BouncyCastle signing (what a client, or the load generator's pre-signing, pays). */
  @Benchmark
  public byte[] bcSign() {
    return key.sign(message);
  }
}
