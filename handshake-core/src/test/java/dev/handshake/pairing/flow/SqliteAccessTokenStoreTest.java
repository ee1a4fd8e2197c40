package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAccessTokenStoreTest extends AccessTokenStoreContract {
  @TempDir Path dir;
  private int stores;

  @Override
  protected AccessTokenStore create() {
    try {
      return FlowStores.sqliteTokens(dir.resolve("store-" + stores++));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tokensAndFlowsShareOneFileAndSurviveAReopen() throws IOException {
    Path data = dir.resolve("shared");
    try (AccessTokenStore tokens = FlowStores.sqliteTokens(data);
        DeviceFlowStore flows = FlowStores.sqliteFlows(data)) {
      tokens.insert(token("t", ANN, 0), 16);
      flows.insert(DeviceFlowStoreContract.flow("f"));
    }
    try (DeviceFlowStore flows = FlowStores.sqliteFlows(data);
        AccessTokenStore tokens = FlowStores.sqliteTokens(data)) {
      assertThat(tokens.find("t")).contains(token("t", ANN, 0));
      assertThat(flows.find("f")).isPresent();
    }
  }
}
