package dev.handshake.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link AuditStore} in memory: for tests and for throw-away chains. */
public final class InMemoryAuditStore implements AuditStore {
  private final Map<String, List<AuditEvent>> chains = new LinkedHashMap<>();
  private final Map<String, ChainHead> heads = new HashMap<>();
  private final Map<String, Long> nonces = new HashMap<>();

  @Override
  public synchronized void append(AuditEvent event) {
    List<AuditEvent> chain = chains.computeIfAbsent(event.agentId(), k -> new ArrayList<>());
    if (!chain.isEmpty()) {
      String head = chain.getLast().hash();
      if (!event.previousHash().orElse("").equals(head)) {
        throw new StaleHeadException(
            "event does not extend the head " + head + " of " + event.agentId());
      }
    }
    chain.add(event);
  }

  @Override
  public synchronized List<AuditEvent> events(String agentId) {
    return List.copyOf(chains.getOrDefault(agentId, List.of()));
  }

  @Override
  public synchronized Optional<AuditEvent> last(String agentId) {
    List<AuditEvent> chain = chains.getOrDefault(agentId, List.of());
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.getLast());
  }

  @Override
  public synchronized long count(String agentId) {
    return chains.getOrDefault(agentId, List.of()).size();
  }

  @Override
  public synchronized List<String> agents() {
    return List.copyOf(chains.keySet());
  }

  @Override
  public synchronized void saveHead(ChainHead head) {
    heads.merge(head.agentId(), head, (old, h) -> h.eventCount() >= old.eventCount() ? h : old);
  }

  @Override
  public synchronized Optional<ChainHead> head(String agentId) {
    return Optional.ofNullable(heads.get(agentId));
  }

  @Override
  public synchronized boolean recordNonce(
      String agentId, String nonce, long nowSeconds, long retainSeconds) {
    String key = agentId + '\n' + nonce;
    Long expires = nonces.get(key);
    if (expires != null && expires > nowSeconds) {
      return false;
    }
    nonces.put(key, nowSeconds + retainSeconds);
    return true;
  }

  @Override
  public void close() {}
}
