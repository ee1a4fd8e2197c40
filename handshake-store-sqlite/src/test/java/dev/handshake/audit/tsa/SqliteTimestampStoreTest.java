package dev.handshake.audit.tsa;

import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteTimestampStoreTest extends TimestampStoreContract {
  @TempDir Path dir;

  @Override
  protected TimestampStore open() throws Exception {
    return SqliteTimestampStore.open(dir);
  }

  @Override
  protected TimestampStore reopen() throws Exception {
    store.close();
    return SqliteTimestampStore.open(dir);
  }

  @Test
  void theSidecarIsItsOwnFileBesideTheAuditStore() {
    assertThat(dir.resolve(SqliteTimestampStore.FILE_NAME)).isRegularFile();
    assertThat(dir.resolve("audit.db")).doesNotExist();
  }
}
