package dev.handshake.bench;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.security.SecureRandom;
import java.util.Random;

/**
 * keep-protocol packets shared by the relay benchmarks. A "typical" packet is what the Python SDK
 * sends to {@code dst=server}: a 36-character id, a short {@code bot:} src, a short body, signed;
 * its protobuf encoding is exactly {@link #TYPICAL_PACKET_BYTES} bytes (the frame adds the 4-byte
 * length), its canonical sign payload (fields 3–10) 65 bytes.
 */
final class KeepFixtures {
  /** Serialized size of the typical packet (keep.md §3's "165-byte" packets). */
  static final int TYPICAL_PACKET_BYTES = 165;

  /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (keep.md §3 item 13). */
  static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private KeepFixtures() {}

  /** A deterministic key (benchmarks must not depend on the entropy pool). */
  static Ed25519PrivateKey key(long seed) {
    byte[] s = new byte[Ed25519PrivateKey.SEED_SIZE];
    new Random(seed).nextBytes(s);
    return Ed25519PrivateKey.fromSeed(s);
  }

  static Ed25519PrivateKey randomKey() {
    return Ed25519PrivateKey.generate(new SecureRandom());
  }

  /** A 36-character id with {@code n} in it, like the SDK's UUID4 strings. */
  static String id(String prefix, long n) {
    String digits = Long.toString(n);
    StringBuilder b = new StringBuilder(36).append(prefix);
    for (int i = b.length() + digits.length(); i < 36; i++) {
      b.append('0');
    }
    String id = b.append(digits).toString();
    if (id.length() != 36) {
      throw new IllegalArgumentException("id prefix too long: " + prefix);
    }
    return id;
  }

  /** The body length that makes an unsigned packet with these fields {@code target} bytes once signed. */
  static int bodyLengthFor(String id, String src, String dst, int target) {
    for (int len = 0; len < target; len++) {
      Packet p =
          Packet.newBuilder()
              .setId(id).setSrc(src).setDst(dst).setBody("x".repeat(len))
              .setSig(com.google.protobuf.ByteString.copyFrom(new byte[64]))
              .setPk(com.google.protobuf.ByteString.copyFrom(new byte[32]))
              .build();
      if (p.getSerializedSize() == target) {
        return len;
      }
    }
    throw new IllegalArgumentException(
        "cannot pad to " + target + " bytes (src " + src + ", dst " + dst + "): an empty body is omitted");
  }

  /** A signed packet with a body padded so that the whole packet is {@code target} bytes. */
  static Packet typical(Ed25519PrivateKey key, String id, String src, String dst, int target) {
    return signed(key, id, src, dst, "x".repeat(bodyLengthFor(id, src, dst, target)));
  }

  static Packet signed(Ed25519PrivateKey key, String id, String src, String dst, String body) {
    return KeepPackets.sign(
        Packet.newBuilder().setId(id).setSrc(src).setDst(dst).setBody(body).build(), key);
  }

  static byte[] x509(byte[] rawPublicKey) {
    byte[] der = new byte[X509_PREFIX.length + rawPublicKey.length];
    System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
    System.arraycopy(rawPublicKey, 0, der, X509_PREFIX.length, rawPublicKey.length);
    return der;
  }
}
