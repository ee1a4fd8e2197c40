package dev.handshake.audit;

import java.util.List;
import java.util.Optional;

/**
 * Where agents' chains live. {@link #append} returns only once the event is durable (for the
 * durable implementations) and is atomic with its check that the event extends the agent's
 * current head, so two writers (a server and a CLI, two threads) can never fork a chain.
 * Events come back in append order; nothing is ever re-sorted (aiss.md §3 item 13).
 */
public interface AuditStore extends AutoCloseable {

  /** Thrown when an event does not extend the agent's current head. */
  final class StaleHeadException extends IllegalStateException {
    public StaleHeadException(String message) {
      super(message);
    }
  }

  /**
   * Appends {@code event} to its agent's chain. When the agent already has events, the event's
   * previous_hash must be the hash of the last one.
   *
   * @throws StaleHeadException when it does not extend the current head
   */
  void append(AuditEvent event);

  /** The agent's events in append order. */
  List<AuditEvent> events(String agentId);

  Optional<AuditEvent> last(String agentId);

  long count(String agentId);

  /** Agents with at least one event, in first-append order. */
  List<String> agents();

  /** Stores the newest signed head of an agent, replacing an older one. */
  void saveHead(ChainHead head);

  Optional<ChainHead> head(String agentId);

  /**
   * Records that {@code (agentId, nonce)} was seen, returning false when it was already recorded
   * and has not expired — the persistent replay memory of imports (aiss.md §3 item 15).
   */
  boolean recordNonce(String agentId, String nonce, long nowSeconds, long retainSeconds);

  @Override
  void close();
}
