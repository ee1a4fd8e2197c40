package dev.handshake.audit.archive;

import static dev.handshake.audit.archive.ArchiveFixtures.chainEvents;
import static dev.handshake.audit.archive.ArchiveFixtures.object;
import static dev.handshake.audit.archive.ArchiveFixtures.pythonIndented;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainHead;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our archive verifier reports every kind of tampering with an archive we wrote (aiss.md §3 item
 * 10): the checksum is unkeyed, so each edit below also fixes it where it could, and the
 * signatures, the linkage or the signed head must catch what it cannot.
 */
class PqzTamperTest {
  @TempDir Path dir;

  private ArchiveReport verifyEdited(Consumer<Map<String, byte[]>> edit)
      throws IOException, InvalidArchiveException {
    byte[] bytes = ArchiveFixtures.edit(ArchiveFixtures.ourPlainArchive(), edit);
    Path file = ArchiveFixtures.save(dir, "edited.pqz", bytes);
    PqzArchive archive = PqzArchive.read(file, Optional.empty(), ArchiveLimits.defaults());
    return ArchiveVerifier.verify(archive, ArchiveVerifier.Options.defaults());
  }

  /** Replaces data.json and, like a careful forger, its checksum in metadata.json. */
  private static void replaceEvents(Map<String, byte[]> members, ArrayNode events) {
    byte[] data = pythonIndented(events);
    members.put("data.json", data);
    ObjectNode metadata = object(members.get("metadata.json"));
    metadata.put("archive_checksum", ArchiveFixtures.sha256(data));
    members.put("metadata.json", pythonIndented(metadata));
  }

  private static ArrayNode events(Map<String, byte[]> members) {
    return (ArrayNode) CanonicalJson.parse(members.get("data.json"));
  }

  @Test
  void item10_anEditedEventFailsItsSignatureEvenWithTheChecksumFixed() throws Exception {
    ArchiveReport report =
        verifyEdited(m -> {
          ArrayNode events = events(m);
          ((ObjectNode) events.get(1).path("payload")).put("quantity", 1000);
          replaceEvents(m, events);
        });

    assertThat(report.valid()).isFalse();
    assertThat(report.checksumValid()).hasValue(true);
    assertThat(report.chain().signaturesValid()).isFalse();
    assertThat(report.chain().events().get(1).problems())
        .anySatisfy(p -> assertThat(p).contains("signature"));
    assertThat(report.chain().chainValid()).as("event 2 links to the original event 1").isFalse();
    assertThat(report.indexValid()).as("the index names the original hash").hasValue(false);
  }

  @Test
  void item10_aDroppedLastEventIsCaughtByTheSignedHead() throws Exception {
    ArchiveReport report =
        verifyEdited(m -> {
          ArrayNode events = events(m);
          events.remove(3);
          replaceEvents(m, events);
        });

    assertThat(report.valid()).isFalse();
    assertThat(report.chain().signaturesValid()).as("the remaining events are genuine").isTrue();
    assertThat(report.chain().chainValid()).isTrue();
    assertThat(report.headValid()).hasValue(false);
    assertThat(report.chain().errors()).anySatisfy(e -> assertThat(e).contains("truncated"));
  }

  @Test
  void item10_aMissingIdentityIsReported() throws Exception {
    ArchiveReport report = verifyEdited(m -> m.remove("identity.json"));

    assertThat(report.valid()).isFalse();
    assertThat(report.identity()).isEqualTo(ArchiveVerifier.IdentitySource.NONE);
    assertThat(report.problems())
        .anySatisfy(p -> assertThat(p).contains("identity.json is missing"));
    assertThat(report.chain().signaturesValid()).isFalse();
  }

  @Test
  void item10_anIdentitySwappedForAnotherKeyFailsEverySignature() throws Exception {
    ArchiveReport report =
        verifyEdited(m ->
            m.put(
                "identity.json",
                Json.pretty(ArchiveFixtures.identityB().toJson())
                    .getBytes(StandardCharsets.UTF_8)));

    assertThat(report.valid()).isFalse();
    assertThat(report.chain().events()).allSatisfy(e -> assertThat(e.ok()).isFalse());
  }

  @Test
  void item10_aMissingCheckpointIsReported() throws Exception {
    ArchiveReport report = verifyEdited(m -> m.remove("chain-head.json"));

    assertThat(report.valid()).isFalse();
    assertThat(report.headValid()).isEmpty();
    assertThat(report.problems())
        .anySatisfy(p -> assertThat(p).contains("chain-head.json is missing"));
  }

  @Test
  void item10_aCheckpointSignedByAnotherKeyIsInvalid() throws Exception {
    List<AuditEvent> events = chainEvents();
    ChainHead forged =
        ChainHead.sign(
            ArchiveFixtures.key("B"),
            ArchiveFixtures.identityA().agentId(),
            events.size(),
            events.getLast().hash(),
            ArchiveFixtures.HEAD_TIME);

    ArchiveReport report =
        verifyEdited(m ->
            m.put(
                "chain-head.json", Json.pretty(forged.toJson()).getBytes(StandardCharsets.UTF_8)));

    assertThat(report.valid()).isFalse();
    assertThat(report.headValid()).hasValue(false);
    assertThat(report.chain().errors()).anySatisfy(e -> assertThat(e).contains("does not verify"));
  }

  @Test
  void item10_anOlderGenuineCheckpointDoesNotCoverTheArchive() throws Exception {
    ChainHead older = ArchiveFixtures.headA(chainEvents().subList(0, 2));

    ArchiveReport report =
        verifyEdited(m ->
            m.put("chain-head.json", Json.pretty(older.toJson()).getBytes(StandardCharsets.UTF_8)));

    assertThat(report.valid()).isFalse();
    assertThat(report.headValid()).hasValue(false);
    assertThat(report.problems())
        .anySatisfy(p -> assertThat(p).contains("covers 2 events but the archive holds 4"));
  }

  @Test
  void item10_aBadChecksumIsReported() throws Exception {
    ArchiveReport report =
        verifyEdited(m -> {
          ObjectNode metadata = object(m.get("metadata.json"));
          metadata.put("archive_checksum", "00".repeat(32));
          m.put("metadata.json", pythonIndented(metadata));
        });

    assertThat(report.valid()).isFalse();
    assertThat(report.checksumValid()).hasValue(false);
    assertThat(report.chain().valid()).as("the events themselves are intact").isTrue();
  }

  @Test
  void item10_anIndexThatLiesAboutAnEventIsReported() throws Exception {
    ArchiveReport report =
        verifyEdited(m -> {
          ObjectNode index = object(m.get("index.json"));
          ((ObjectNode) index.path("events_index").get(2)).put("event_type", "harmless");
          m.put("index.json", pythonIndented(index));
        });

    assertThat(report.valid()).isFalse();
    assertThat(report.indexValid()).hasValue(false);
    assertThat(report.problems())
        .anySatisfy(p -> assertThat(p).contains("index.json entry 2 event_type"));
  }

  @Test
  void item10_metadataThatMiscountsTheEventsIsReported() throws Exception {
    ArchiveReport report =
        verifyEdited(m -> {
          ObjectNode metadata = object(m.get("metadata.json"));
          metadata.put("events_count", 40);
          m.put("metadata.json", pythonIndented(metadata));
        });

    assertThat(report.valid()).isFalse();
    assertThat(report.metadataValid()).isFalse();
  }

  @Test
  void suppliedIdentityPinsTheArchiveKey() throws Exception {
    Path file = ArchiveFixtures.save(dir, "ours.pqz", ArchiveFixtures.ourPlainArchive());
    PqzArchive archive = PqzArchive.read(file, Optional.empty(), ArchiveLimits.defaults());

    ArchiveReport pinnedRight =
        ArchiveVerifier.verify(
            archive, ArchiveVerifier.Options.defaults().withIdentity(ArchiveFixtures.identityA()));
    ArchiveReport pinnedWrong =
        ArchiveVerifier.verify(
            archive, ArchiveVerifier.Options.defaults().withIdentity(ArchiveFixtures.identityB()));

    assertThat(pinnedRight.valid()).isTrue();
    assertThat(pinnedWrong.valid()).isFalse();
    assertThat(pinnedWrong.problems())
        .anySatisfy(p -> assertThat(p).contains("not the supplied identity"));
  }
}
