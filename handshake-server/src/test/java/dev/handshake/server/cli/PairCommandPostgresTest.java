package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.server.ServerPairing;
import dev.handshake.server.SharedState;
import dev.handshake.store.postgres.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handshake pair … --db}: the owner approves a request the nodes keep in PostgreSQL (issue 7). */
class PairCommandPostgresTest {
  static EmbeddedPostgres pg;

  @TempDir Path data;

  @BeforeAll
  static void startPostgres() {
    pg = EmbeddedPostgres.create();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @Test
  void listAndApproveWorkOnTheSharedDatabase() throws Exception {
    RequestOutcome.Created ann;
    try (SharedState shared = SharedState.open(Optional.empty(), Optional.of(pg.url()));
        PairingStore s = ServerPairing.openStore(data, ServeCommand.pairingConfig(3600), shared,
            PairCommandTest.CLOCK)) {
      ann = (RequestOutcome.Created) s.request(Requester.of("telegram", "111"), Map.of(), Optional.empty());
    }
    CliRun onSqlite = CliRun.execute(PairCommandTest.ENV, "pair", "list", "--data", data.toString(), "--json");
    assertThat(onSqlite.out()).as("without --db the CLI reads the node's SQLite file").doesNotContain("111");

    CliRun list = CliRun.execute(PairCommandTest.ENV, "pair", "list", "--data", data.toString(), "--db", pg.url());
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains(ann.request().requestId()).doesNotContain(ann.code().reveal());
    CliRun approve = CliRun.execute(PairCommandTest.ENV, "pair", "approve", ann.code().display(),
        "--data", data.toString(), "--db", pg.url());
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("telegram:default:111 is paired");
    assertThat(approve.out() + approve.err()).doesNotContain(pg.password());
  }
}
