package dev.handshake.pairing.flow;

import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteAccessTokenStoreTest extends AccessTokenStoreContract {
  @TempDir Path dir;
  private int stores;

  @Override
  protected AccessTokenStore create() {
    try {
      return SqliteStores.tokens(dir.resolve("store-" + stores++));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tokensAndFlowsShareOneFileAndSurviveAReopen() throws IOException {
    Path data = dir.resolve("shared");
    try (AccessTokenStore tokens = SqliteStores.tokens(data);
        DeviceFlowStore flows = SqliteStores.flows(data)) {
      tokens.insert(token("t", ANN, 0), 16);
      flows.insert(DeviceFlowStoreContract.flow("f"));
    }
    try (DeviceFlowStore flows = SqliteStores.flows(data);
        AccessTokenStore tokens = SqliteStores.tokens(data)) {
      assertThat(tokens.find("t")).contains(token("t", ANN, 0));
      assertThat(flows.find("f")).isPresent();
    }
  }

  @Test
  void aFileWrittenBeforeDpopBindingOpensAndItsTokensStayBearerTokens() throws Exception {
    Path data = dir.resolve("old");
    java.nio.file.Files.createDirectories(data);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + data.resolve(SqliteStores.FLOWS_FILE));
        java.sql.Statement st = c.createStatement()) {
      // the schema as the first release wrote it: no jkt columns
      st.executeUpdate("PRAGMA user_version = 1");
      st.executeUpdate("CREATE TABLE device_flows (device_code_hash TEXT PRIMARY KEY, request_id TEXT NOT NULL,"
          + " client_id TEXT NOT NULL, scopes TEXT NOT NULL, interval_ms INTEGER NOT NULL, last_poll_at INTEGER,"
          + " expires_at INTEGER NOT NULL, issued INTEGER NOT NULL)");
      st.executeUpdate("CREATE TABLE access_tokens (token_hash TEXT PRIMARY KEY, channel_type TEXT NOT NULL,"
          + " account_id TEXT NOT NULL, sender_id TEXT NOT NULL, scopes TEXT NOT NULL, issued_at INTEGER NOT NULL,"
          + " expires_at INTEGER NOT NULL, grant_ref TEXT NOT NULL)");
      st.executeUpdate("INSERT INTO access_tokens VALUES ('t', 'telegram', '123', '123', 'read', 0, 3600000, 'ref')");
    }
    try (AccessTokenStore tokens = SqliteStores.tokens(data);
        DeviceFlowStore flows = SqliteStores.flows(data)) {
      assertThat(tokens.find("t")).hasValueSatisfying(t -> assertThat(t.jkt()).isEmpty());
      TokenRecord bound = new TokenRecord("b", ANN, java.util.Set.of(), T0, T0.plusSeconds(1), "ref",
          java.util.Optional.of("jkt"));
      tokens.insert(bound, 16);
      assertThat(tokens.find("b")).contains(bound);
      assertThat(flows.insert(DeviceFlowStoreContract.flow("f"))).isTrue();
    }
  }
}
