package dev.handshake.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.store.postgres.PostgresLogStore;
import dev.handshake.store.postgres.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transparency log store contract on PostgreSQL, plus its one-writer rule per log name,
 * several named logs in one table (one per server node, issue 7) and reopening.
 *
 * <p>Every contract test runs on the log {@value #NAME} while a neighbour log already holds leaves
 * in the same table, so a query that forgot the log name would fail the contract.
 */
class PostgresLogStoreTest extends LogStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  static final String NAME = "handshake.local/audit/node-a";
  static final String NEIGHBOUR = "handshake.local/audit/node-b";

  @Override
  protected LogStore create(LogConfig config) {
    SERVER.truncate("tlog_leaf");
    try (LogStore neighbour = PostgresLogStore.open(SERVER.db(), NEIGHBOUR)) {
      for (int i = 0; i < 3; i++) {
        neighbour.append(entry(100 + i), MerkleHashes.leafHash(entry(100 + i)));
      }
    }
    return PostgresLogStore.open(SERVER.db(), NAME, config);
  }

  @Test
  void leavesSurviveReopeningAndTheTreeRebuildsToTheSameRoot() {
    LogStore first = store();
    TransparencyLog log = TransparencyLog.open(first);
    for (int i = 0; i < 20; i++) {
      log.append(entry(i));
    }
    TreeHead head = log.head();
    LogStore again = PostgresLogStore.open(SERVER.secondNode(), NAME);
    TransparencyLog reopened = TransparencyLog.open(again);
    assertThat(reopened.head()).isEqualTo(head);
    assertThat(again.entry(7)).isEqualTo(entry(7));
    again.close();
  }

  @Test
  void aSecondWriterOfTheSameLogCannotInterleaveItsLeaves() {
    LogStore writer = store();
    writer.append(entry(0), MerkleHashes.leafHash(entry(0)));
    LogStore other = PostgresLogStore.open(SERVER.secondNode(), NAME);
    writer.append(entry(1), MerkleHashes.leafHash(entry(1)));
    assertThatThrownBy(() -> other.append(entry(9), MerkleHashes.leafHash(entry(9))))
        .isInstanceOf(LogStoreException.class)
        .hasMessageContaining("one writer")
        .hasMessageContaining(NAME);
    assertThat(writer.size()).isEqualTo(2);
    assertThat(writer.entry(1)).isEqualTo(entry(1));
    other.close();
  }

  @Test
  void twoNodesWritingLogsOfDifferentNamesNeverCollideAndEachTreeIsItsOwn() {
    SERVER.truncate("tlog_leaf");
    TransparencyLog a = TransparencyLog.open(PostgresLogStore.open(SERVER.db(), NAME));
    TransparencyLog b = TransparencyLog.open(PostgresLogStore.open(SERVER.secondNode(), NEIGHBOUR));
    for (int i = 0; i < 10; i++) {
      assertThat(a.append(entry(i))).as("node A's index").isEqualTo(i);
      assertThat(b.append(entry(1000 + i))).as("node B's index").isEqualTo(i);
    }
    assertThat(a.head().root()).isNotEqualTo(b.head().root());
    assertThat(b.entry(3)).isEqualTo(entry(1003));

    TransparencyLog reopenedA = TransparencyLog.open(PostgresLogStore.open(SERVER.db(), NAME));
    assertThat(reopenedA.head()).isEqualTo(a.head());
    a.close();
    b.close();
    reopenedA.close();
  }

  @Test
  void aLogOpenedWithoutANameIsTheLogNamedEmpty() {
    SERVER.truncate("tlog_leaf");
    try (PostgresLogStore unnamed = PostgresLogStore.open(SERVER.db())) {
      unnamed.append(entry(0), MerkleHashes.leafHash(entry(0)));
      assertThat(unnamed.name()).isEmpty();
    }
    try (PostgresLogStore named = PostgresLogStore.open(SERVER.db(), "")) {
      assertThat(named.size()).isEqualTo(1);
    }
    try (PostgresLogStore other = PostgresLogStore.open(SERVER.db(), NAME)) {
      assertThat(other.size()).isZero();
    }
  }

  @Test
  void namesOverTheLimitOrHoldingNulAreRefused() {
    String longest = "x".repeat(PostgresLogStore.MAX_NAME_BYTES);
    try (PostgresLogStore ok = PostgresLogStore.open(SERVER.db(), longest)) {
      assertThat(ok.size()).isZero();
    }
    assertThatThrownBy(() -> PostgresLogStore.open(SERVER.db(), longest + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 UTF-8 bytes");
    assertThatThrownBy(() -> PostgresLogStore.open(SERVER.db(), "é".repeat(128)))
        .as("the limit counts UTF-8 bytes, not characters")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresLogStore.open(SERVER.db(), "a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAppendDuringAnOutageFailsClearlyAndTheStoreWorksAgainOnceTheServerIsBack() {
    LogStore store = store();
    TransparencyLog log = TransparencyLog.open(store);
    log.append(entry(0));
    SERVER.pg().stop();
    try {
      assertThatThrownBy(() -> log.append(entry(1)))
          .isInstanceOf(LogStoreException.class)
          .hasMessageContaining("unavailable");
      assertThatThrownBy(store::size)
          .as("the size is unknown until the database answers again")
          .isInstanceOf(LogStoreException.class);
    } finally {
      SERVER.pg().start();
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.size() == 1);
    assertThat(log.append(entry(1))).as("no gap, no reopening").isEqualTo(1);
    assertThat(store.entry(1)).isEqualTo(entry(1));
  }
}
