package dev.handshake.pairing.flow;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where {@link DeviceFlow} keeps its {@link FlowState}s. An implementation holds no rules: it
 * stores, finds, and applies a change as one atomic read-modify-write, so that two pollers (two
 * threads, or two server processes over one database) never both see a token as not yet issued.
 * Implementations: {@link FlowStores#inMemoryFlows()} and {@code SqliteStores.flows}; each runs
 * the same contract test suite.
 */
public interface DeviceFlowStore extends AutoCloseable {

  /** Adds a flow; false (and nothing written) when its hash is already stored. */
  boolean insert(FlowState flow);

  Optional<FlowState> find(String deviceCodeHash);

  /**
   * Reads the flow with {@code deviceCodeHash}, passes it to {@code change} and writes the
   * returned {@link Change#next()} state, all in one transaction; empty, and {@code change} not
   * called, when there is no such flow.
   *
   * @throws IllegalArgumentException when {@code change} returns a state with another hash
   */
  <T> Optional<T> update(String deviceCodeHash, Function<FlowState, Change<T>> change);

  /** Forgets flows that expired before {@code cutoff}; returns how many. */
  int forgetExpiredBefore(Instant cutoff);

  @Override
  void close();

  /** The state to write and what the caller learns from the change. */
  record Change<T>(FlowState next, T result) {}
}
