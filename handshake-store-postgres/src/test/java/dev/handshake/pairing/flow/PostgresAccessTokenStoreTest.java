package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.postgres.PostgresAccessTokenStore;
import dev.handshake.store.postgres.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access token store contract on PostgreSQL, plus a token seen through another node. */
class PostgresAccessTokenStoreTest extends AccessTokenStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected AccessTokenStore create() {
    SERVER.truncate("pairing_access_token");
    return PostgresAccessTokenStore.open(SERVER.db());
  }

  @Test
  void aTokenIssuedOnOneNodeIsFoundAndRevokedOnTheOther() {
    AccessTokenStore a = store();
    AccessTokenStore b = PostgresAccessTokenStore.open(SERVER.secondNode());
    a.insert(token("t", ANN, 0), 16);
    assertThat(b.find("t")).contains(token("t", ANN, 0));
    assertThat(b.deleteAll(ANN)).isEqualTo(1);
    assertThat(a.find("t")).isEmpty();
  }
}
