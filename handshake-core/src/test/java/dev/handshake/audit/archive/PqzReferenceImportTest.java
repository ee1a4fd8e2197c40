package dev.handshake.audit.archive;

import static dev.handshake.audit.archive.ArchiveFixtures.identityA;
import static dev.handshake.audit.archive.ArchiveFixtures.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.EventCheck;
import dev.handshake.audit.GenesisForm;
import dev.handshake.identity.Passphrase;
import dev.handshake.json.CanonicalJson;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading the reference's {@code .pqz} archives (aiss.md §2.7, §4 item 10), built by {@link
 * ArchiveFixtures#referenceArchive} from the spec and the reference's layout, and the reverse: ours
 * opened the way the reference's reader opens an archive.
 */
class PqzReferenceImportTest {
  private static final String PASSPHRASE = "reference archive passphrase";

  @TempDir Path dir;

  private PqzArchive read(byte[] bytes, Optional<String> passphrase) throws Exception {
    Path file = ArchiveFixtures.save(dir, "ref" + System.nanoTime() + ".pqz", bytes);
    return PqzArchive.read(file, passphrase.map(Passphrase::copyOf), ArchiveLimits.defaults());
  }

  private static List<String> vectorHashes() {
    return ArchiveFixtures.VECTORS
        .path("chain_events_detail")
        .valueStream()
        .map(d -> d.path("event_hash").stringValue())
        .toList();
  }

  @Test
  void item10_readsAPlainReferenceArchiveAndChecksItsChecksumIndexAndMetadata() throws Exception {
    PqzArchive archive = read(ArchiveFixtures.referenceArchive(Optional.empty()), Optional.empty());
    ArchiveReport report = ArchiveVerifier.verify(archive, ArchiveVerifier.Options.defaults());

    assertThat(archive.events())
        .extracting(AuditEvent::hash)
        .containsExactlyElementsOf(vectorHashes());
    assertThat(report.profile()).isEqualTo(ArchiveVerifier.Profile.FOREIGN);
    assertThat(report.checksumValid()).hasValue(true);
    assertThat(report.indexValid()).as("problems %s", report.problems()).hasValue(true);
    assertThat(report.metadataValid()).as("problems %s", report.problems()).isTrue();
    assertThat(report.headValid()).isEmpty();
    // A reference archive carries no key: nothing vouches for the events until one is supplied.
    assertThat(report.identity()).isEqualTo(ArchiveVerifier.IdentitySource.NONE);
    assertThat(report.valid()).isFalse();
    assertThat(report.chain().events()).extracting(EventCheck::signature).containsOnly("no-key");
    assertThat(report.chain().chainValid()).as("linkage needs no key").isTrue();
  }

  @Test
  void item10_aPlainReferenceArchiveVerifiesAgainstTheAgentsIdentity() throws Exception {
    PqzArchive archive = read(ArchiveFixtures.referenceArchive(Optional.empty()), Optional.empty());

    ArchiveReport report =
        ArchiveVerifier.verify(
            archive, ArchiveVerifier.Options.defaults().withIdentity(identityA()));

    assertThat(report.valid()).as("report %s", report.toJson()).isTrue();
    assertThat(report.identity()).isEqualTo(ArchiveVerifier.IdentitySource.SUPPLIED);
    assertThat(report.chain().genesisForms().get(identityA().agentId()))
        .isEqualTo(GenesisForm.PUBLIC_KEY_HASH);
  }

  @Test
  void item10_readsAnEncryptedReferenceArchiveSealedWithTheJdk() throws Exception {
    byte[] bytes = ArchiveFixtures.referenceArchive(Optional.of(PASSPHRASE));

    PqzArchive archive = read(bytes, Optional.of(PASSPHRASE));
    ArchiveReport report =
        ArchiveVerifier.verify(
            archive, ArchiveVerifier.Options.defaults().withIdentity(identityA()));

    assertThat(archive.encrypted()).isTrue();
    assertThat(archive.events())
        .extracting(AuditEvent::hash)
        .containsExactlyElementsOf(vectorHashes());
    assertThat(report.valid()).as("report %s", report.toJson()).isTrue();
    assertThat(report.checksumValid()).hasValue(true);
    assertThatThrownBy(() -> read(bytes, Optional.of("not " + PASSPHRASE)))
        .isInstanceOfSatisfying(
            InvalidArchiveException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidArchiveException.Reason.WRONG_PASSPHRASE));
  }

  @Test
  void item10_aReferenceArchiveWithoutIndexStillReads() throws Exception {
    byte[] bytes =
        ArchiveFixtures.edit(
            ArchiveFixtures.referenceArchive(Optional.empty()), m -> m.remove("index.json"));

    ArchiveReport report =
        ArchiveVerifier.verify(
            read(bytes, Optional.empty()),
            ArchiveVerifier.Options.defaults().withIdentity(identityA()));

    assertThat(report.indexValid()).isEmpty();
    assertThat(report.valid()).isTrue();
  }

  @Test
  void item10_ourPlainArchiveKeepsTheReferenceLayoutByteForByte() {
    Map<String, byte[]> ours = ArchiveFixtures.unzip(ArchiveFixtures.ourPlainArchive());
    Map<String, byte[]> reference =
        ArchiveFixtures.unzip(ArchiveFixtures.referenceArchive(Optional.empty()));

    assertThat(ours.get("data.json")).isEqualTo(reference.get("data.json"));
    assertThat(ArchiveFixtures.sha256(ours.get("data.json")))
        .isEqualTo(ArchiveFixtures.REFERENCE_DATA_SHA256);
    ObjectNode ourIndex = object(ours.get("index.json"));
    ObjectNode referenceIndex = object(reference.get("index.json"));
    assertThat(ourIndex).isEqualTo(referenceIndex);
    ObjectNode metadata = object(ours.get("metadata.json"));
    ObjectNode referenceMetadata = object(reference.get("metadata.json"));
    for (String field :
        List.of(
            "piqrypt_version",
            "archive_version",
            "agent_id",
            "agent_algorithm",
            "events_count",
            "period_start",
            "period_end",
            "encrypted",
            "encryption",
            "kdf",
            "kdf_iterations",
            "archive_checksum")) {
      assertThat(metadata.get(field))
          .as("metadata %s", field)
          .isEqualTo(referenceMetadata.get(field));
    }
    assertThat(metadata.path("created_at").stringValue()).isEqualTo("2026-01-01T01:00:00+00:00");
    assertThat(metadata.path("label").stringValue()).isEqualTo("archive-20260101");
  }

  @Test
  void item10_ourEncryptedArchiveOpensTheWayTheReferenceReaderOpensIt() throws Exception {
    List<AuditEvent> events = ArchiveFixtures.chainEvents();
    byte[] bytes =
        PqzWriter.encrypted(
            identityA(),
            events,
            ArchiveFixtures.headA(events),
            Optional.empty(),
            Passphrase.copyOf(PASSPHRASE),
            new SecureRandom());
    Map<String, byte[]> members = ArchiveFixtures.unzip(bytes);

    // What the reference's import does: metadata.encrypted picks data.enc, checksum, decrypt.
    JsonNode metadata = CanonicalJson.parse(members.get("metadata.json"));
    assertThat(metadata.path("encrypted").booleanValue()).isTrue();
    byte[] blob = members.get("data.enc");
    assertThat(ArchiveFixtures.sha256(blob))
        .isEqualTo(metadata.path("archive_checksum").stringValue());
    byte[] plaintext = ArchiveFixtures.jdkOpen(blob, PASSPHRASE);

    assertThat(plaintext).isEqualTo(ArchiveFixtures.referenceDataJson());
    JsonNode index = CanonicalJson.parse(members.get("index.json"));
    assertThat(index.path("encrypted").booleanValue()).isTrue();
    assertThat(index.path("total_events").intValue()).isEqualTo(4);
  }
}
