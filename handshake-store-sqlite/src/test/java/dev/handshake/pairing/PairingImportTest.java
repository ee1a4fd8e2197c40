package dev.handshake.pairing;

import dev.handshake.store.sqlite.SqliteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** pairing.md §4 item 20: reference stores carried over, plaintext codes re-hashed. */
class PairingImportTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  @TempDir Path dir;

  PairingStore store() throws Exception {
    return SqliteStores.pairing(dir.resolve("db"), PairingConfig.defaults(), Pepper.of(new byte[32]),
        new PairingTestClock(NOW));
  }

  @Test
  void item20_praisonaiGrantsAndPlaintextPendingAreKeptHashedOnesReported() throws Exception {
    Path file = dir.resolve("pairing.json");
    double recent = (NOW.toEpochMilli() - 60_000) / 1000.0;
    Files.writeString(file, """
        {"paired":[{"channel_id":"123456789","channel_type":"telegram","paired_at":1767268800.5,"label":"Approved by 42"}],
         "pending":[
           {"code":"K7QXM2PA","channel_type":"discord","channel_id":"555","created_at":%s},
           {"code_hash":"ab","signature":"cd","channel_type":"telegram","channel_id":null,"created_at":%s}]}
        """.formatted(recent, recent));
    try (PairingStore store = store()) {
      PairingImport.Report r = PairingImport.praisonai(file, store);
      assertThat(r.grants()).isEqualTo(1);
      assertThat(r.requests()).isEqualTo(1);
      assertThat(r.skipped()).singleElement().asString().contains("only a code hash");
      assertThat(store.isPaired(Requester.of("telegram", "123456789"))).isTrue();
      assertThat(store.grant(Requester.of("telegram", "123456789")).orElseThrow().approvedAt())
          .isEqualTo(Instant.parse("2026-01-01T12:00:00.500Z"));
      PairingRequest pending = store.pending(Optional.empty()).getFirst();
      assertThat(pending.requester()).isEqualTo(Requester.of("discord", "555"));
      assertThat(pending.codeHash()).doesNotContain("K7QXM2PA");
      assertThat(store.approve(ApprovalTarget.code(
          PairingCode.parse("k7qx-m2pa", CodeAlphabet.REFERENCE).orElseThrow()), Approver.named("cli:o")))
          .isInstanceOf(Resolution.Approved.class);
      assertThat(store.events(0, 10)).extracting(PairingEvent::actor).contains("import:praisonai");
    }
    assertThat(Files.readString(dir.resolve("db").resolve(SqliteStores.PAIRING_FILE),
        java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("K7QXM2PA");
  }

  @Test
  void item20_openclawRequestsAndAllowListsPerAccount() throws Exception {
    Path creds = Files.createDirectories(dir.resolve("credentials"));
    Files.writeString(creds.resolve("telegram-pairing.json"), """
        {"version":1,"requests":[
          {"id":"777","code":"ABCD2345","createdAt":"%s","lastSeenAt":"%s","meta":{"accountId":"bot2","name":"Eve"}},
          {"id":"888","code":"EFGH2345","createdAt":%d,"meta":{}},
          {"id":"999","code":"old","createdAt":0}]}
        """.formatted(NOW.minus(Duration.ofMinutes(5)), NOW, NOW.minus(Duration.ofMinutes(2)).toEpochMilli()));
    Files.writeString(creds.resolve("telegram-default-allowFrom.json"), "{\"version\":1,\"allowFrom\":[\"111\",\"*\"]}");
    Files.writeString(creds.resolve("telegram-bot2-allowFrom.json"), "{\"version\":1,\"allowFrom\":[\"222\"]}");
    Files.writeString(creds.resolve("telegram-allowFrom.json"), "{\"version\":1,\"allowFrom\":[\"333\"]}");
    try (PairingStore store = store()) {
      PairingImport.Report r = PairingImport.openclaw(creds, store);
      assertThat(r.grants()).isEqualTo(3);
      assertThat(r.requests()).isEqualTo(2);
      assertThat(store.isPaired(new Requester("telegram", "bot2", "222"))).isTrue();
      assertThat(store.isPaired(Requester.of("telegram", "111"))).isTrue();
      assertThat(store.isPaired(Requester.of("telegram", "333"))).as("legacy unscoped file").isTrue();
      assertThat(store.pending(Optional.empty())).extracting(p -> p.requester().toString())
          .containsExactlyInAnyOrder("telegram:bot2:777", "telegram:default:888");
      assertThat(store.pending(Optional.empty())).filteredOn(p -> p.requester().senderId().equals("777"))
          .singleElement().satisfies(p -> assertThat(p.displayMeta()).containsEntry("name", "Eve"));
      assertThat(r.skipped()).anyMatch(s -> s.contains("\"*\"")).anyMatch(s -> s.contains("999"));
    }
  }
}
