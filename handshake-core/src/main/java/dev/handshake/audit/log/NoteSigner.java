package dev.handshake.audit.log;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Signs note texts with an Ed25519 key under a key name: either plain note signatures (a log
 * signing its checkpoints) or timestamped witness cosignatures (c2sp.org/tlog-cosignature).
 *
 * <pre>{@code
 * NoteSigner witness = NoteSigner.cosignatureV1("witness.example/w1", witnessKey, clock);
 * SignedNote cosigned = checkpointNote.withSignature(witness);  // one more signature line
 * }</pre>
 *
 * <p>A witness must check a checkpoint's consistency with the last one it cosigned for that log
 * before cosigning it; this class only produces the signature. {@link #toString()} never shows the
 * private key.
 */
public final class NoteSigner {
  private final VerifierKey verifierKey;
  private final Ed25519PrivateKey key;
  private final Clock clock;

  private NoteSigner(VerifierKey verifierKey, Ed25519PrivateKey key, Clock clock) {
    this.verifierKey = verifierKey;
    this.key = key;
    this.clock = clock;
  }

  /** A plain Ed25519 note signer (signature type 0x01). */
  public static NoteSigner ed25519(String name, Ed25519PrivateKey key) {
    return new NoteSigner(VerifierKey.ed25519(name, key.publicKey()), key, Clock.systemUTC());
  }

  /** A witness cosigner (signature type 0x04) that stamps each cosignature with {@code clock}. */
  public static NoteSigner cosignatureV1(String name, Ed25519PrivateKey key, Clock clock) {
    return new NoteSigner(VerifierKey.cosignatureV1(name, key.publicKey()), key, clock);
  }

  public String name() {
    return verifierKey.name();
  }

  /** The public half, to publish or configure in verifiers. */
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /** The signature line for {@code text} (the note text, final newline included). */
  public NoteSignature sign(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] signature =
        switch (verifierKey.type()) {
          case ED25519 -> key.sign(bytes);
          case COSIGNATURE_V1 -> {
            long timestamp = clock.instant().getEpochSecond();
            byte[] sig = key.sign(VerifierKey.cosignedMessage(timestamp, bytes));
            yield ByteBuffer.allocate(8 + sig.length).putLong(timestamp).put(sig).array();
          }
        };
    return NoteSignature.of(verifierKey.name(), verifierKey.keyId(), signature);
  }

  @Override
  public String toString() {
    return "NoteSigner[" + verifierKey.text() + ", private key=<redacted>]";
  }
}
