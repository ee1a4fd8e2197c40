package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit store contract on PostgreSQL, plus what only a shared database can show. */
class PostgresAuditStoreTest extends AuditStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected AuditStore open() {
    SERVER.truncate("audit_event", "audit_head", "audit_seen_nonce");
    return PostgresAuditStore.open(SERVER.db());
  }

  @Override
  protected AuditStore reopen() {
    store.close();
    return PostgresAuditStore.open(SERVER.db());
  }

  @Test
  void twoNodesCannotForkAChain() {
    AuditStore second = PostgresAuditStore.open(SERVER.secondNode());
    List<AuditEvent> chain = AissVectors.chainEvents();
    store.append(chain.get(0));
    store.append(chain.get(1));
    assertThatThrownBy(() -> second.append(chain.get(1)))
        .isInstanceOf(AuditStore.StaleHeadException.class);
    second.append(chain.get(2));
    assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(3);
    assertThat(second.events(AissVectors.agentId("A"))).isEqualTo(chain.subList(0, 3));
  }

  @Test
  void racingAppendsOfOneEventFromTwoNodesStoreItOnce() throws Exception {
    AuditStore second = PostgresAuditStore.open(SERVER.secondNode());
    List<AuditEvent> chain = AissVectors.chainEvents();
    store.append(chain.get(0));
    List<Boolean> stored =
        Race.run(
            8,
            i -> {
              try {
                (i % 2 == 0 ? store : second).append(chain.get(1));
                return true;
              } catch (AuditStore.StaleHeadException e) {
                return false;
              }
            });
    assertThat(stored).containsOnlyOnce(true);
    assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(2);
  }

  @Test
  void aClosedStoreRefusesCalls() {
    store.close();
    assertThatThrownBy(() -> store.count("a")).isInstanceOf(IllegalStateException.class);
  }
}
