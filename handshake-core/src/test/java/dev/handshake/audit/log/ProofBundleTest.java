package dev.handshake.audit.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.log.LogVerification.Failure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProofBundleTest {
  private static final String ORIGIN = "handshake.example/audit";
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final TransparencyLog log = NaiveMerkle.memoryLog(10);
  private final CheckpointSigner signer = CheckpointSigner.create(ORIGIN, SignedNoteTest.key(1));
  private final NoteSigner witness =
      NoteSigner.cosignatureV1("witness.example", SignedNoteTest.key(2), CLOCK);
  private final LogTrust trust = LogTrust.of(signer.verifierKey());

  @AfterEach
  void close() {
    log.close();
  }

  static byte[] entry(int i) {
    return ("leaf " + i).getBytes(UTF_8);
  }

  private static Failure failure(LogVerification result) {
    assertThat(result).isInstanceOf(LogVerification.Invalid.class);
    return ((LogVerification.Invalid) result).failure();
  }

  @Nested
  class Inclusion {
    private final SignedNote checkpoint = signer.sign(log.head());
    private final ProofBundle bundle = ProofBundle.create(log, 3, checkpoint);

    @Test
    void theTextIsTheC2spTlogProofLayout() {
      StringBuilder expected = new StringBuilder("c2sp.org/tlog-proof@v1\nindex 3\n");
      log.inclusionProof(3, 10).forEach(h -> expected.append(h.base64()).append('\n'));
      expected.append('\n').append(checkpoint.format());
      assertThat(bundle.format()).isEqualTo(expected.toString());
      assertThat(checkpoint.format())
          .startsWith(ORIGIN + "\n10\n" + log.root(10).base64() + "\n\n\u2014 " + ORIGIN + " ");
    }

    @Test
    void aParsedBundleFormatsToTheSameText() throws Exception {
      String text = bundle.format();
      ProofBundle parsed = ProofBundle.parse(text);
      assertThat(parsed.format()).isEqualTo(text);
      assertThat(parsed.index()).isEqualTo(3);
      assertThat(parsed.proof()).isEqualTo(log.inclusionProof(3, 10));
    }

    @Test
    void itVerifiesForItsEntryOffline() {
      LogVerification result = ProofBundle.verify(bundle.format(), entry(3), trust);
      assertThat(result)
          .isEqualTo(new LogVerification.Valid(Checkpoint.parseOrThrow(checkpoint), Set.of()));
    }

    @Test
    void anotherEntryFailsTheInclusionCheck() {
      assertThat(failure(bundle.verify(entry(4), trust)))
          .isEqualTo(Failure.INCLUSION_PROOF_INVALID);
    }

    @Test
    void aChangedIndexFails() {
      String text = bundle.format().replace("index 3\n", "index 2\n");
      assertThat(failure(ProofBundle.verify(text, entry(3), trust)))
          .isEqualTo(Failure.INCLUSION_PROOF_INVALID);
      String outside = bundle.format().replace("index 3\n", "index 10\n");
      assertThat(failure(ProofBundle.verify(outside, entry(3), trust)))
          .isEqualTo(Failure.INDEX_OUT_OF_RANGE);
    }

    @Test
    void aChangedProofHashFails() {
      List<Sha256Hash> proof =
          NaiveMerkle.replace(bundle.proof(), 1, NaiveMerkle.flip(bundle.proof().get(1), 5));
      ProofBundle tampered = ProofBundle.of(3, proof, checkpoint);
      assertThat(failure(tampered.verify(entry(3), trust)))
          .isEqualTo(Failure.INCLUSION_PROOF_INVALID);
    }

    @Test
    void aCheckpointWithAnEditedTreeSizeFailsItsSignature() {
      String text = bundle.format().replace(ORIGIN + "\n10\n", ORIGIN + "\n11\n");
      assertThat(failure(ProofBundle.verify(text, entry(3), trust)))
          .isEqualTo(Failure.BAD_SIGNATURE);
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsNotTheLogs() {
      CheckpointSigner impostor = CheckpointSigner.create(ORIGIN, SignedNoteTest.key(7));
      ProofBundle forged = ProofBundle.create(log, 3, impostor.sign(log.head()));
      assertThat(failure(forged.verify(entry(3), trust))).isEqualTo(Failure.NO_LOG_SIGNATURE);
    }

    @Test
    void aCheckpointOfAnotherOriginIsRefused() {
      LogTrust elsewhere = new LogTrust("other.example/log", signer.verifierKey(), List.of(), 0);
      assertThat(failure(bundle.verify(entry(3), elsewhere))).isEqualTo(Failure.WRONG_ORIGIN);
    }

    @Test
    void aWitnessQuorumNeedsTheCosignature() {
      LogTrust witnessed = trust.withWitnesses(1, witness.verifierKey());
      assertThat(failure(bundle.verify(entry(3), witnessed)))
          .isEqualTo(Failure.TOO_FEW_COSIGNATURES);

      ProofBundle cosigned = ProofBundle.create(log, 3, checkpoint.withSignature(witness));
      LogVerification result = ProofBundle.verify(cosigned.format(), entry(3), witnessed);
      assertThat(result.isValid()).isTrue();
      assertThat(((LogVerification.Valid) result).cosigners()).containsExactly("witness.example");
    }

    @Test
    void extraDataRoundTripsButIsNotNeededToVerify() throws Exception {
      ProofBundle withExtra = bundle.withExtra("context".getBytes(UTF_8));
      String text = withExtra.format();
      assertThat(text).startsWith("c2sp.org/tlog-proof@v1\nextra Y29udGV4dA==\nindex 3\n");
      ProofBundle parsed = ProofBundle.parse(text);
      assertThat(parsed.extra())
          .hasValueSatisfying(e -> assertThat(e).isEqualTo("context".getBytes(UTF_8)));
      assertThat(parsed.verify(entry(3), trust).isValid()).isTrue();
    }

    @Test
    void malformedBundlesAreReportedNotThrown() {
      for (String text :
          List.of(
              "",
              "c2sp.org/tlog-proof@v2\nindex 3\n\n" + checkpoint.format(),
              "c2sp.org/tlog-proof@v1\nindex 03\n\n" + checkpoint.format(),
              "c2sp.org/tlog-proof@v1\nindex 3\nnot-a-hash\n\n" + checkpoint.format(),
              "c2sp.org/tlog-proof@v1\nindex 3\n",
              bundle.format().substring(0, bundle.format().length() - 1))) {
        assertThat(failure(ProofBundle.verify(text, entry(3), trust)))
            .as(text)
            .isEqualTo(Failure.MALFORMED);
      }
    }

    @Test
    void theFirstLeafOfASizeOneLogHasAnEmptyProof() {
      try (TransparencyLog one = NaiveMerkle.memoryLog(1)) {
        ProofBundle single = ProofBundle.create(one, 0, signer.sign(one.head()));
        assertThat(single.format()).contains("index 0\n\n" + ORIGIN + "\n1\n");
        assertThat(ProofBundle.verify(single.format(), entry(0), trust).isValid()).isTrue();
      }
    }
  }

  @Nested
  class Consistency {
    private final SignedNote older = signer.sign(new TreeHead(4, log.root(4)));
    private final SignedNote newer = signer.sign(log.head());

    @Test
    void aBundleBetweenTwoCheckpointsRoundTripsAndVerifies() throws Exception {
      ConsistencyBundle bundle = ConsistencyBundle.create(log, older, newer);
      String text = bundle.format();
      assertThat(text)
          .startsWith(
              "handshake-tlog-consistency/1\n" + log.consistencyProof(4, 10).get(0).base64() + "\n")
          .contains("\n\n" + older.format() + "\n" + newer.format());
      assertThat(ConsistencyBundle.parse(text).format()).isEqualTo(text);
      assertThat(ConsistencyBundle.verify(text, trust))
          .isEqualTo(new LogVerification.Valid(Checkpoint.parseOrThrow(newer), Set.of()));
    }

    @Test
    void aRewrittenHistorySignedByTheSameKeyIsCaught() {
      TransparencyLog fork = TransparencyLog.open(new InMemoryLogStore());
      for (int i = 0; i < 10; i++) {
        fork.append(entry(i == 2 ? 99 : i)); // leaf 2 replaced after size 4 was published
      }
      SignedNote forkedHead = signer.sign(fork.head());
      ConsistencyBundle bundle = ConsistencyBundle.create(fork, older, forkedHead);
      assertThat(failure(bundle.verify(trust))).isEqualTo(Failure.CONSISTENCY_PROOF_INVALID);
      fork.close();
    }

    @Test
    void aTamperedProofHashFails() {
      ConsistencyBundle bundle = ConsistencyBundle.create(log, older, newer);
      List<Sha256Hash> proof =
          NaiveMerkle.replace(bundle.proof(), 0, NaiveMerkle.flip(bundle.proof().get(0), 1));
      assertThat(failure(ConsistencyBundle.of(older, newer, proof).verify(trust)))
          .isEqualTo(Failure.CONSISTENCY_PROOF_INVALID);
    }

    @Test
    void checkpointsInTheWrongOrderAreRefused() {
      ConsistencyBundle swapped = ConsistencyBundle.of(newer, older, log.consistencyProof(4, 10));
      assertThat(failure(swapped.verify(trust))).isEqualTo(Failure.CHECKPOINTS_OUT_OF_ORDER);
    }

    @Test
    void theSameCheckpointTwiceIsConsistentWithAnEmptyProof() throws Exception {
      ConsistencyBundle same = ConsistencyBundle.create(log, newer, newer);
      assertThat(same.proof()).isEmpty();
      assertThat(ConsistencyBundle.parse(same.format()).verify(trust).isValid()).isTrue();
    }

    @Test
    void theNewerCheckpointMustMeetTheWitnessQuorum() {
      LogTrust witnessed = trust.withWitnesses(1, witness.verifierKey());
      assertThat(failure(ConsistencyBundle.create(log, older, newer).verify(witnessed)))
          .isEqualTo(Failure.TOO_FEW_COSIGNATURES);
      ConsistencyBundle cosigned =
          ConsistencyBundle.create(log, older, newer.withSignature(witness));
      assertThat(cosigned.verify(witnessed).isValid()).isTrue();
    }
  }
}
