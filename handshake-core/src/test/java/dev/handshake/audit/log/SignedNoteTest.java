package dev.handshake.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.log.NoteVerification.Reason;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedNoteTest {
  // golang.org/x/mod/sumdb/note's documented example key and note.
  private static final String GO_SIGNER_KEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String GO_VERIFIER_KEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String GO_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  private static final String GO_NOTE =
      GO_TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  static Ed25519PrivateKey key(int seed) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) seed);
    return Ed25519PrivateKey.fromSeed(bytes);
  }

  private static Ed25519PrivateKey goKey() {
    String material = GO_SIGNER_KEY.substring("PRIVATE+KEY+PeterNeumann+c74f20a3+".length());
    byte[] typeAndSeed = Base64Text.decodeStrict(material).orElseThrow();
    assertThat(typeAndSeed[0]).isEqualTo((byte) 0x01);
    return Ed25519PrivateKey.fromSeed(Arrays.copyOfRange(typeAndSeed, 1, 33));
  }

  @Test
  void signingReproducesGosDocumentedNoteByteForByte() {
    NoteSigner signer = NoteSigner.ed25519("PeterNeumann", goKey());
    assertThat(SignedNote.sign(GO_TEXT, signer).format()).isEqualTo(GO_NOTE);
    assertThat(signer.verifierKey().text()).isEqualTo(GO_VERIFIER_KEY);
  }

  @Test
  void gosNoteVerifiesWithItsParsedVerifierKey() throws Exception {
    VerifierKey key = VerifierKey.parse(GO_VERIFIER_KEY);
    assertThat(key.keyId()).isEqualTo(0xc74f20a3);
    NoteVerification result = SignedNote.parse(GO_NOTE).verify(List.of(key));
    assertThat(result).isInstanceOf(NoteVerification.Verified.class);
    assertThat(((NoteVerification.Verified) result).text()).isEqualTo(GO_TEXT);
  }

  @Test
  void parseAndFormatRoundTrip() throws Exception {
    SignedNote note = SignedNote.parse(GO_NOTE);
    assertThat(note.text()).isEqualTo(GO_TEXT);
    assertThat(note.signatures()).hasSize(1);
    assertThat(note.format()).isEqualTo(GO_NOTE);
    assertThat(SignedNote.parse(GO_NOTE.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(note);
  }

  @Test
  void aNoteSignedByAnotherKeyUnderTheSameNameIsRejected() {
    NoteSigner impostor = NoteSigner.ed25519("PeterNeumann", key(9));
    SignedNote note = SignedNote.sign(GO_TEXT, impostor);
    NoteVerification result =
        note.verify(List.of(NoteSigner.ed25519("PeterNeumann", goKey()).verifierKey()));
    assertThat(result)
        .as("a line whose key ID matches no trusted key is ignored, leaving none")
        .isEqualTo(
            new NoteVerification.Rejected(
                Reason.NO_TRUSTED_SIGNATURE, "no signature from a trusted key"));
  }

  @Test
  void aModifiedTextIsRejectedAsABadSignature() throws Exception {
    SignedNote note = SignedNote.parse(GO_NOTE.replace("cryptography", "cryptographY"));
    NoteVerification result = note.verify(List.of(VerifierKey.parse(GO_VERIFIER_KEY)));
    assertThat(result).isInstanceOf(NoteVerification.Rejected.class);
    assertThat(((NoteVerification.Rejected) result).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void unknownSignaturesAreIgnoredButAFailingKnownOneRejectsTheNote() throws Exception {
    NoteSigner log = NoteSigner.ed25519("log.example", key(1));
    NoteSigner stranger = NoteSigner.ed25519("stranger.example", key(2));
    SignedNote note = SignedNote.sign("hello\n", log).withSignature(stranger);
    assertThat(note.verify(List.of(log.verifierKey())))
        .isInstanceOf(NoteVerification.Verified.class);

    // The same text with the trusted line swapped for a line under the same name and key ID
    // but another note's signature: the trusted key's line must now verify, and does not.
    NoteSignature forged = SignedNote.sign("goodbye\n", log).signatures().get(0);
    SignedNote tampered = new SignedNote("hello\n", List.of(note.signatures().get(1), forged));
    NoteVerification result = tampered.verify(List.of(log.verifierKey()));
    assertThat(result).isInstanceOf(NoteVerification.Rejected.class);
    assertThat(((NoteVerification.Rejected) result).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void aWitnessCosignatureAddsALineWithATimestampThatVerifies() throws Exception {
    NoteSigner log = NoteSigner.ed25519("log.example", key(1));
    NoteSigner witness = NoteSigner.cosignatureV1("witness.example/w1", key(3), CLOCK);
    String text = new Checkpoint("log.example", 5, NaiveMerkle.leaf(1)).text();
    SignedNote signed = SignedNote.sign(text, log);
    SignedNote cosigned = signed.withSignature(witness);

    assertThat(cosigned.format()).startsWith(signed.format());
    assertThat(cosigned.format().lines().filter(l -> l.startsWith("\u2014 "))).hasSize(2);
    assertThat(cosigned.signatures().get(1).name()).isEqualTo("witness.example/w1");

    NoteVerification result =
        SignedNote.parse(cosigned.format())
            .verify(List.of(log.verifierKey(), witness.verifierKey()));
    assertThat(result).isInstanceOf(NoteVerification.Verified.class);
    NoteVerification.Verified verified = (NoteVerification.Verified) result;
    assertThat(verified.signatures())
        .containsExactly(
            new NoteVerification.VerifiedSignature(log.verifierKey(), OptionalLong.empty()),
            new NoteVerification.VerifiedSignature(
                witness.verifierKey(), OptionalLong.of(1_700_000_000)));
  }

  @Test
  void aCosignatureIsNotAPlainSignatureOfTheSameKey() {
    NoteSigner witness = NoteSigner.cosignatureV1("w.example", key(3), CLOCK);
    SignedNote note = SignedNote.sign("x\n", witness);
    VerifierKey plain = VerifierKey.ed25519("w.example", key(3).publicKey());
    assertThat(plain.keyId()).isNotEqualTo(witness.verifierKey().keyId());
    assertThat(note.verify(List.of(plain))).isInstanceOf(NoteVerification.Rejected.class);
    assertThat(note.verify(List.of(witness.verifierKey())))
        .isInstanceOf(NoteVerification.Verified.class);
  }

  @Test
  void recosigningReplacesTheWitnessLineInsteadOfAddingAnother() {
    NoteSigner log = NoteSigner.ed25519("log.example", key(1));
    NoteSigner witness = NoteSigner.cosignatureV1("w.example", key(3), CLOCK);
    SignedNote twice = SignedNote.sign("x\n", log).withSignature(witness).withSignature(witness);
    assertThat(twice.signatures()).hasSize(2);
  }

  @Test
  void verifierKeysRoundTripThroughTheirTextForm() throws Exception {
    VerifierKey log = NoteSigner.ed25519("log.example/a", key(4)).verifierKey();
    VerifierKey witness = NoteSigner.cosignatureV1("w.example", key(5), CLOCK).verifierKey();
    assertThat(VerifierKey.parse(log.text())).isEqualTo(log);
    assertThat(VerifierKey.parse(witness.text())).isEqualTo(witness);
    assertThat(witness.text()).matches("w\\.example\\+[0-9a-f]{8}\\+.*");
    byte[] material = Base64Text.decodeStrict(witness.text().split("\\+", 3)[2]).orElseThrow();
    assertThat(material[0]).as("cosignature type byte").isEqualTo((byte) 0x04);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // wrong key ID
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // short key ID
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", // bad Base64
        "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // type 0x02
        "PeterNeumann+c74f20a3",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
      })
  void mangledVerifierKeysAreRefused(String text) {
    assertThatThrownBy(() -> VerifierKey.parse(text)).isInstanceOf(LogFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", // no blank line
        "text\n\n", // no signatures
        "text\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", // unterminated
        "text\n\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", // hyphen
        "text\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG\n", // bad Base64
        "text\n\n\u2014 PeterNeumann AAAA\n", // 3 bytes: no room for a key ID and signature
        "text\n\n\u2014 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        "te\rxt\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", // control
      })
  void malformedNotesAreRefused(String note) {
    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(LogFormatException.class);
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] note = GO_NOTE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    note[3] = (byte) 0xff;
    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(LogFormatException.class);
  }

  @Test
  void moreSignaturesThanTheLimitAreRefused() {
    NoteSigner s = NoteSigner.ed25519("a", key(1));
    String line = s.sign("x\n").line();
    String note = "x\n\n" + line.repeat(SignedNote.MAX_SIGNATURES + 1);
    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(LogFormatException.class);
  }

  @Test
  void signersNeverPrintTheirPrivateKey() {
    NoteSigner signer = NoteSigner.ed25519("a", key(1));
    assertThat(signer.toString())
        .contains("redacted")
        .doesNotContain(key(1).toString().substring(30));
  }
}
