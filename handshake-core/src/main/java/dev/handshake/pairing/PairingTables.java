package dev.handshake.pairing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link PairingStore} keeps its rows: requests, grants and events. {@link PairingService}
 * holds every rule; an implementation only has to run each unit of work as one serialisable
 * transaction (the SQLite one takes the database's write lock first, so two processes
 * serialise). Public so that stores in other modules (PostgreSQL, Redis) can supply their rows;
 * {@link PairingStores#over} puts the rules on top.
 */
public interface PairingTables extends AutoCloseable {

  /** Runs {@code work} as one transaction; a {@link RuntimeException} from it rolls back. */
  <T> T inTransaction(Work<T> work);

  @Override
  void close();

  @FunctionalInterface
  interface Work<T> {
    T run(Tx tx);
  }

  /** The rows, inside one transaction. */
  interface Tx {
    Optional<PairingRequest> request(String requestId);

    Optional<PairingRequest> pendingBySender(Requester requester);

    /** The newest request, in any state, whose code hashes to {@code codeHash}. */
    Optional<PairingRequest> latestByCodeHash(String codeHash);

    int countPending(String channelType, String accountId);

    int countPending();

    /** Live requests, oldest first; {@code channelType} empty for all. */
    List<PairingRequest> pending(Optional<String> channelType);

    /** Live requests whose expiry is at or before {@code now}, up to {@code limit}. */
    List<PairingRequest> pendingExpiredBy(Instant now, int limit);

    void insert(PairingRequest request);

    void update(PairingRequest request);

    /** Deletes resolved requests resolved before {@code cutoff}; returns how many. */
    int forgetResolvedBefore(Instant cutoff);

    Optional<Grant> grant(Requester requester);

    List<Grant> grants(boolean includeRevoked);

    /** Inserts or replaces the grant of its requester. */
    void putGrant(Grant grant);

    /** Appends an event; the {@code seq} given is ignored and the stored one returned. */
    long append(PairingEvent event);

    List<PairingEvent> events(long afterSeq, int limit);
  }
}
