package dev.handshake.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.postgres.PostgresLogStore;
import dev.handshake.store.postgres.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transparency log store contract on PostgreSQL, plus its one-writer rule and reopening. */
class PostgresLogStoreTest extends LogStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected LogStore create(LogConfig config) {
    SERVER.truncate("tlog_leaf");
    return PostgresLogStore.open(SERVER.db(), config);
  }

  @Test
  void leavesSurviveReopeningAndTheTreeRebuildsToTheSameRoot() {
    LogStore first = store();
    TransparencyLog log = TransparencyLog.open(first);
    for (int i = 0; i < 20; i++) {
      log.append(entry(i));
    }
    TreeHead head = log.head();
    LogStore again = PostgresLogStore.open(SERVER.secondNode());
    TransparencyLog reopened = TransparencyLog.open(again);
    assertThat(reopened.head()).isEqualTo(head);
    assertThat(again.entry(7)).isEqualTo(entry(7));
    again.close();
  }

  @Test
  void aSecondWriterCannotInterleaveItsLeaves() {
    LogStore writer = store();
    writer.append(entry(0), MerkleHashes.leafHash(entry(0)));
    LogStore other = PostgresLogStore.open(SERVER.secondNode());
    writer.append(entry(1), MerkleHashes.leafHash(entry(1)));
    assertThatThrownBy(() -> other.append(entry(9), MerkleHashes.leafHash(entry(9))))
        .isInstanceOf(LogStoreException.class)
        .hasMessageContaining("one writer");
    assertThat(writer.size()).isEqualTo(2);
    assertThat(writer.entry(1)).isEqualTo(entry(1));
    other.close();
  }
}
