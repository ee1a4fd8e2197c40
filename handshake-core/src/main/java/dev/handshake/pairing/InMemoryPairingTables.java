package dev.handshake.pairing;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairing rows in memory, for tests and single-process use: one lock serialises the
 * transactions, and an undo log rolls back a unit of work that throws.
 */
final class InMemoryPairingTables implements PairingTables {
  private final Map<String, PairingRequest> requests = new LinkedHashMap<>();
  private final Map<Requester, Grant> grants = new LinkedHashMap<>();
  private final List<PairingEvent> events = new ArrayList<>();
  private final int maxEvents;

  InMemoryPairingTables(int maxEvents) {
    this.maxEvents = maxEvents;
  }

  @Override
  public synchronized <T> T inTransaction(Work<T> work) {
    Deque<Runnable> undo = new ArrayDeque<>();
    try {
      return work.run(new MemoryTx(undo));
    } catch (RuntimeException e) {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
      throw e;
    }
  }

  @Override
  public void close() {}

  private final class MemoryTx implements Tx {
    private final Deque<Runnable> undo;

    MemoryTx(Deque<Runnable> undo) {
      this.undo = undo;
    }

    @Override
    public Optional<PairingRequest> request(String requestId) {
      return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public Optional<PairingRequest> pendingBySender(Requester requester) {
      return requests.values().stream()
          .filter(r -> r.state().live() && r.requester().equals(requester))
          .findFirst();
    }

    @Override
    public Optional<PairingRequest> latestByCodeHash(String codeHash) {
      return requests.values().stream()
          .filter(r -> r.codeHash().equals(codeHash))
          .max(Comparator.comparing(PairingRequest::createdAt));
    }

    @Override
    public int countPending(String channelType, String accountId) {
      return (int) requests.values().stream()
          .filter(r -> r.state().live()
              && r.requester().channelType().equals(channelType)
              && r.requester().accountId().equals(accountId))
          .count();
    }

    @Override
    public int countPending() {
      return (int) requests.values().stream().filter(r -> r.state().live()).count();
    }

    @Override
    public List<PairingRequest> pending(Optional<String> channelType) {
      return requests.values().stream()
          .filter(r -> r.state().live())
          .filter(r -> channelType.map(r.requester().channelType()::equals).orElse(true))
          .sorted(Comparator.comparing(PairingRequest::createdAt))
          .toList();
    }

    @Override
    public List<PairingRequest> pendingExpiredBy(Instant now, int limit) {
      return requests.values().stream()
          .filter(r -> r.state().live() && r.expiredAt(now))
          .limit(limit)
          .toList();
    }

    @Override
    public void insert(PairingRequest request) {
      if (requests.putIfAbsent(request.requestId(), request) != null) {
        throw new IllegalStateException("duplicate request id " + request.requestId());
      }
      undo.push(() -> requests.remove(request.requestId()));
    }

    @Override
    public void update(PairingRequest request) {
      PairingRequest before = requests.put(request.requestId(), request);
      undo.push(() -> requests.put(request.requestId(), before));
    }

    @Override
    public int forgetResolvedBefore(Instant cutoff) {
      List<PairingRequest> old = requests.values().stream()
          .filter(r -> !r.state().live() && r.resolvedAt().map(t -> t.isBefore(cutoff)).orElse(false))
          .toList();
      old.forEach(r -> requests.remove(r.requestId()));
      undo.push(() -> old.forEach(r -> requests.put(r.requestId(), r)));
      return old.size();
    }

    @Override
    public Optional<Grant> grant(Requester requester) {
      return Optional.ofNullable(grants.get(requester));
    }

    @Override
    public List<Grant> grants(boolean includeRevoked) {
      return grants.values().stream()
          .filter(g -> includeRevoked || g.active())
          .sorted(Comparator.comparing(Grant::approvedAt))
          .toList();
    }

    @Override
    public void putGrant(Grant grant) {
      Grant before = grants.put(grant.requester(), grant);
      undo.push(() -> {
        if (before == null) {
          grants.remove(grant.requester());
        } else {
          grants.put(grant.requester(), before);
        }
      });
    }

    @Override
    public long append(PairingEvent event) {
      long seq = events.isEmpty() ? 1 : events.getLast().seq() + 1;
      events.add(new PairingEvent(seq, event.type(), event.requestId(), event.requester(),
          event.actor(), event.at()));
      if (events.size() > maxEvents) {
        events.removeFirst();
      }
      undo.push(() -> events.removeIf(e -> e.seq() == seq));
      return seq;
    }

    @Override
    public List<PairingEvent> events(long afterSeq, int limit) {
      return events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }
  }
}
