package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** What every {@link AuditStore} must do; extended once per implementation. */
abstract class AuditStoreContract {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1767225600), ZoneOffset.UTC);
  protected AuditStore store;

  protected abstract AuditStore open() throws Exception;

  /** Closes and reopens the store (same data for durable stores). */
  protected abstract AuditStore reopen() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void eventsComeBackInAppendOrderPerAgentWithTheirExactHashes() {
    List<AuditEvent> chain = AissVectors.chainEvents();
    chain.forEach(store::append);
    AgentChain b = AgentChain.open(AissVectors.key("B"), store, CLOCK);
    ObjectNode p = Json.object();
    p.put("event_type", "hello");
    b.append(p);
    assertThat(store.events(AissVectors.agentId("A"))).isEqualTo(chain);
    assertThat(store.events(AissVectors.agentId("A")).stream().map(AuditEvent::hash))
        .containsExactlyElementsOf(chain.stream().map(AuditEvent::hash).toList());
    assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(4);
    assertThat(store.last(AissVectors.agentId("A"))).contains(chain.get(3));
    assertThat(store.agents()).containsExactly(AissVectors.agentId("A"), AissVectors.agentId("B"));
    assertThat(store.events("nobody")).isEmpty();
  }

  @Test
  void anEventThatDoesNotExtendTheHeadIsRefusedAndNothingIsStored() {
    List<AuditEvent> chain = AissVectors.chainEvents();
    store.append(chain.get(0));
    assertThatThrownBy(() -> store.append(chain.get(2)))
        .isInstanceOf(AuditStore.StaleHeadException.class);
    assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(1);
  }

  @Test
  void theNewestHeadWinsAndAnOlderOneNeverReplacesIt() {
    Ed25519PrivateKey key = AissVectors.key("A");
    ChainHead newer = ChainHead.sign(key, AissVectors.agentId("A"), 4, "h4", 10);
    ChainHead older = ChainHead.sign(key, AissVectors.agentId("A"), 2, "h2", 5);
    store.saveHead(newer);
    store.saveHead(older);
    assertThat(store.head(AissVectors.agentId("A"))).contains(newer);
  }

  @Test
  void aNonceIsRememberedUntilItExpires() {
    assertThat(store.recordNonce("a", "n1", 1000, 86_400)).isTrue();
    assertThat(store.recordNonce("a", "n1", 2000, 86_400)).isFalse();
    assertThat(store.recordNonce("b", "n1", 2000, 86_400)).isTrue();
    assertThat(store.recordNonce("a", "n1", 1000 + 86_400, 86_400)).isTrue();
  }

  @Test
  void dataSurvivesAReopenWhenTheStoreIsDurable() throws Exception {
    AissVectors.chainEvents().forEach(store::append);
    store.saveHead(ChainHead.sign(AissVectors.key("A"), AissVectors.agentId("A"), 4, "h", 1));
    store.recordNonce("a", "n", 1000, 86_400);
    store = reopen();
    if (store instanceof InMemoryAuditStore) {
      return;
    }
    assertThat(store.events(AissVectors.agentId("A"))).isEqualTo(AissVectors.chainEvents());
    assertThat(store.head(AissVectors.agentId("A"))).isPresent();
    assertThat(store.recordNonce("a", "n", 2000, 86_400)).isFalse();
  }
}
