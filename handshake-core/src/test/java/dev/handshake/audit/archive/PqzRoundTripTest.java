package dev.handshake.audit.archive;

import static dev.handshake.audit.archive.ArchiveFixtures.chainEvents;
import static dev.handshake.audit.archive.ArchiveFixtures.headA;
import static dev.handshake.audit.archive.ArchiveFixtures.identityA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainHead;
import dev.handshake.audit.GenesisForm;
import dev.handshake.identity.Passphrase;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our {@code .pqz} archives written and read back (aiss.md §3 item 10). */
class PqzRoundTripTest {
  private static final String PASSPHRASE = "correct horse battery staple, archived";

  @TempDir Path dir;

  private PqzArchive read(byte[] bytes, Optional<String> passphrase)
      throws IOException, InvalidArchiveException {
    Path file = ArchiveFixtures.save(dir, "a" + System.nanoTime() + ".pqz", bytes);
    return PqzArchive.read(file, passphrase.map(Passphrase::copyOf), ArchiveLimits.defaults());
  }

  private static ArchiveReport verify(PqzArchive archive) {
    return ArchiveVerifier.verify(archive, ArchiveVerifier.Options.defaults());
  }

  @Test
  void item10_plainArchiveRoundTripsAndVerifiesEverySignatureAndTheHead() throws Exception {
    List<AuditEvent> events = chainEvents();

    PqzArchive archive = read(ArchiveFixtures.ourPlainArchive(), Optional.empty());
    ArchiveReport report = verify(archive);

    assertThat(report.problems()).as("archive problems").isEmpty();
    assertThat(report.valid()).as("report %s", report.toJson()).isTrue();
    assertThat(report.profile()).isEqualTo(ArchiveVerifier.Profile.OURS);
    assertThat(report.identity()).isEqualTo(ArchiveVerifier.IdentitySource.ARCHIVE);
    assertThat(report.checksumValid()).hasValue(true);
    assertThat(report.indexValid()).hasValue(true);
    assertThat(report.headValid()).hasValue(true);
    assertThat(report.chain().signaturesValid()).isTrue();
    assertThat(report.chain().genesisForms().get(identityA().agentId()))
        .isEqualTo(GenesisForm.PUBLIC_KEY_HASH);
    assertThat(archive.events())
        .extracting(AuditEvent::hash)
        .containsExactlyElementsOf(events.stream().map(AuditEvent::hash).toList());
    assertThat(archive.entryNames())
        .containsExactly(
            "data.json",
            "index.json",
            "metadata.json",
            "identity.json",
            "chain-head.json",
            "README.txt");
  }

  @Test
  void item10_encryptedArchiveRoundTripsWithThePassphrase() throws Exception {
    List<AuditEvent> events = chainEvents();
    byte[] bytes =
        PqzWriter.encrypted(
            identityA(),
            events,
            headA(events),
            Optional.of("quarterly"),
            Passphrase.copyOf(PASSPHRASE),
            new SecureRandom());

    PqzArchive archive = read(bytes, Optional.of(PASSPHRASE));
    ArchiveReport report = verify(archive);

    assertThat(report.valid()).as("report %s", report.toJson()).isTrue();
    assertThat(report.encrypted()).isTrue();
    assertThat(archive.entryNames()).contains("data.enc").doesNotContain("data.json");
    assertThat(archive.metadata().path("label").stringValue()).isEqualTo("quarterly");
    assertThat(archive.metadata().path("kdf_iterations").intValue()).isEqualTo(100_000);
  }

  @Test
  void item10_encryptedArchiveNeedsTheRightPassphrase() {
    List<AuditEvent> events = chainEvents();
    byte[] bytes =
        PqzWriter.encrypted(
            identityA(),
            events,
            headA(events),
            Optional.empty(),
            Passphrase.copyOf(PASSPHRASE),
            new SecureRandom());

    assertThatThrownBy(() -> read(bytes, Optional.empty()))
        .isInstanceOfSatisfying(
            InvalidArchiveException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(InvalidArchiveException.Reason.PASSPHRASE_REQUIRED));
    assertThatThrownBy(() -> read(bytes, Optional.of(PASSPHRASE + "!")))
        .isInstanceOfSatisfying(
            InvalidArchiveException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(InvalidArchiveException.Reason.WRONG_PASSPHRASE);
              assertThat(e.getMessage()).startsWith("wrong passphrase");
            });
  }

  @Test
  void item10_alteredEncryptedDataIsReportedAsAlteredNotAsAWrongPassphrase() {
    List<AuditEvent> events = chainEvents();
    byte[] bytes =
        PqzWriter.encrypted(
            identityA(),
            events,
            headA(events),
            Optional.empty(),
            Passphrase.copyOf(PASSPHRASE),
            new SecureRandom());
    byte[] altered = ArchiveFixtures.edit(bytes, m -> m.get("data.enc")[100] ^= 1);

    assertThatThrownBy(() -> read(altered, Optional.of(PASSPHRASE)))
        .isInstanceOfSatisfying(
            InvalidArchiveException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidArchiveException.Reason.ALTERED));
  }

  @Test
  void theSameChainAndHeadGiveTheSameBytes() throws Exception {
    byte[] first = ArchiveFixtures.ourPlainArchive();
    byte[] second = ArchiveFixtures.ourPlainArchive();

    assertThat(second).isEqualTo(first);
    Path file = ArchiveFixtures.save(dir, "dated.pqz", first);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        assertThat(entry.getTimeLocal())
            .as("time of %s: the head's timestamp in UTC", entry.getName())
            .isEqualTo(LocalDateTime.of(2026, 1, 1, 1, 0));
        assertThat(entry.getExtra()).as("extra fields of %s", entry.getName()).isNull();
      }
    }
  }

  @Test
  void twoEncryptionsOfTheSameChainDiffer() {
    List<AuditEvent> events = chainEvents();
    SecureRandom random = new SecureRandom();
    Passphrase passphrase = Passphrase.copyOf(PASSPHRASE);

    assertThat(
            PqzWriter.encrypted(
                identityA(), events, headA(events), Optional.empty(), passphrase, random))
        .isNotEqualTo(
            PqzWriter.encrypted(
                identityA(), events, headA(events), Optional.empty(), passphrase, random));
  }

  @Test
  void anEmptyChainArchivesWithItsGenesisHead() throws Exception {
    ChainHead head =
        ChainHead.sign(
            ArchiveFixtures.key("A"),
            identityA().agentId(),
            0,
            GenesisForm.genesisHash(identityA().publicKey()),
            ArchiveFixtures.HEAD_TIME);

    ArchiveReport report =
        verify(
            read(
                PqzWriter.plain(identityA(), List.of(), head, Optional.empty()), Optional.empty()));

    assertThat(report.valid()).as("report %s", report.toJson()).isTrue();
    assertThat(report.chain().events()).isEmpty();
  }

  @Test
  void theWriterRefusesAHeadThatDoesNotCoverExactlyTheEvents() {
    List<AuditEvent> events = chainEvents();
    ChainHead prefix = headA(events.subList(0, 3));

    assertThatThrownBy(() -> PqzWriter.plain(identityA(), events, prefix, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("covers 3 events");
    assertThatThrownBy(() ->
            PqzWriter.plain(ArchiveFixtures.identityB(), events, headA(events), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
