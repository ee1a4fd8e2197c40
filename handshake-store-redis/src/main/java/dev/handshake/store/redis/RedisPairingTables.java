package dev.handshake.store.redis;

import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.PairingTables;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.Requester;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairing requests, grants and events in Redis, under the one {@link PairingStore} rule set: {@link
 * #store} puts {@code PairingService} on top, as for memory, SQLite and PostgreSQL (issue 7: Redis
 * holds "pairing requests and grants").
 *
 * <p><b>One unit of work at a time, across nodes.</b> Each {@link #inTransaction} takes the lock
 * {@code pairing:lock}, reads from Redis, collects its writes and applies them in one Lua script
 * that first checks the lock is still its own ({@link RedisTables}). So the units of work of all
 * nodes run one after the other, as with SQLite's {@code BEGIN IMMEDIATE} and PostgreSQL's advisory
 * lock: two nodes approving one code at once give one approval and one {@code ALREADY_APPROVED}
 * (pairing.md §3.2 rule 9, §4 item 21), and the pending caps count what the other node just
 * inserted. A unit of work that throws writes nothing.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code pairing:requests} is a hash of
 * request id → request (JSON, the code only as the HMAC the service gives); {@code pairing:live} a
 * sorted set of the live requests' ids scored by expiry (epoch ms), bounded by the pending caps;
 * {@code pairing:resolved} the resolved ids scored by resolution time, for forgetting; {@code
 * pairing:by-code} a hash of code HMAC → the newest request with it; {@code pairing:grants} a hash
 * of requester → grant; {@code pairing:events} a sorted set of events scored by their {@code seq},
 * which {@code pairing:event-seq} counts. Nothing expires by itself: the service's sweep forgets
 * resolved requests and events after {@code keepResolved}, and at most {@link
 * RedisTableOptions#maxEvents} events are kept.
 */
public final class RedisPairingTables implements PairingTables {
  private static final String LOCK = "pairing:lock";
  private static final String REQUESTS = "pairing:requests";
  private static final String LIVE = "pairing:live";
  private static final String RESOLVED = "pairing:resolved";
  private static final String BY_CODE = "pairing:by-code";
  private static final String GRANTS = "pairing:grants";
  private static final String EVENTS = "pairing:events";
  private static final String EVENT_SEQ = "pairing:event-seq";

  private final RedisTables tables;
  private volatile boolean closed;

  private RedisPairingTables(RedisTables tables) {
    this.tables = tables;
  }

  /** The pairing tables on {@code redis}, with {@link RedisTableOptions#DEFAULTS}. */
  public static RedisPairingTables open(RedisConnection redis) {
    return open(redis, RedisTableOptions.DEFAULTS);
  }

  public static RedisPairingTables open(RedisConnection redis, RedisTableOptions options) {
    return new RedisPairingTables(RedisTables.create(redis, "pairing tables", options, true));
  }

  /** A {@link PairingStore} over the pairing tables on {@code redis}. */
  public static PairingStore store(
      RedisConnection redis, PairingConfig config, Pepper pepper, Clock clock) {
    return PairingStores.over(open(redis), config, pepper, clock);
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    if (closed) {
      throw new IllegalStateException("pairing store is closed");
    }
    return tables.run(
        LOCK,
        writes -> {
          RedisTx tx = new RedisTx(writes);
          T result = work.run(tx);
          tx.finish();
          return result;
        });
  }

  /** Marks the tables closed; the connection stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * The rows inside one unit of work: reads go to Redis, except for rows this unit of work already
   * changed, which are answered from its own overlay, so it reads its own writes.
   */
  private final class RedisTx implements Tx {
    private final RedisTables.Writes writes;
    private final RedisConnection redis = tables.redis();

    /** Requests changed here, by id; empty when deleted. */
    private final Map<String, Optional<PairingRequest>> requests = new LinkedHashMap<>();

    /** Code HMACs re-pointed here; empty when unindexed. */
    private final Map<String, Optional<String>> byCode = new HashMap<>();

    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final EventLog<PairingEvent> events;

    RedisTx(RedisTables.Writes writes) {
      this.writes = writes;
      this.events = EventLog.in(EVENTS, EVENT_SEQ, PairingRows.EVENT_CODEC, redis, writes);
    }

    @Override
    public Optional<PairingRequest> request(String requestId) {
      Optional<PairingRequest> mine = requests.get(requestId);
      if (mine != null) {
        return mine;
      }
      byte[] stored = redis.call("HGET", c -> c.hget(key(REQUESTS), utf8(requestId)));
      return Optional.ofNullable(stored).map(PairingRows::readRequest);
    }

    /** The live requests, oldest first. */
    private List<PairingRequest> live() {
      List<byte[]> ids = redis.call("ZRANGE", c -> c.zrange(key(LIVE), 0, -1));
      Map<String, PairingRequest> found = new LinkedHashMap<>();
      for (PairingRequest r : read(ids)) {
        found.put(r.requestId(), r);
      }
      requests.forEach((id, r) -> {
        if (r.isPresent()) {
          found.put(id, r.get());
        } else {
          found.remove(id);
        }
      });
      return found.values().stream()
          .filter(r -> r.state().live())
          .sorted(Comparator.comparing(PairingRequest::createdAt))
          .toList();
    }

    /** The requests stored under {@code ids}, as stored (a missing one is skipped). */
    private List<PairingRequest> read(List<byte[]> ids) {
      if (ids.isEmpty()) {
        return List.of();
      }
      byte[][] fields = ids.toArray(byte[][]::new);
      List<KeyValue<byte[], byte[]>> rows =
          redis.call("HMGET", c -> c.hmget(key(REQUESTS), fields));
      List<PairingRequest> out = new ArrayList<>();
      for (KeyValue<byte[], byte[]> kv : rows) {
        if (kv.hasValue()) {
          out.add(PairingRows.readRequest(kv.getValue()));
        }
      }
      return out;
    }

    @Override
    public Optional<PairingRequest> pendingBySender(Requester requester) {
      return live().stream().filter(r -> r.requester().equals(requester)).findFirst();
    }

    @Override
    public Optional<PairingRequest> latestByCodeHash(String codeHash) {
      return indexedByCode(codeHash).flatMap(this::request);
    }

    private Optional<String> indexedByCode(String codeHash) {
      Optional<String> mine = byCode.get(codeHash);
      if (mine != null) {
        return mine;
      }
      byte[] id = redis.call("HGET", c -> c.hget(key(BY_CODE), utf8(codeHash)));
      return Optional.ofNullable(id).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public int countPending(String channelType, String accountId) {
      return (int)
          live().stream()
              .filter(r ->
                  r.requester().channelType().equals(channelType)
                      && r.requester().accountId().equals(accountId))
              .count();
    }

    @Override
    public int countPending() {
      return live().size();
    }

    @Override
    public List<PairingRequest> pending(Optional<String> channelType) {
      return live().stream()
          .filter(r -> channelType.map(r.requester().channelType()::equals).orElse(true))
          .toList();
    }

    @Override
    public List<PairingRequest> pendingExpiredBy(Instant now, int limit) {
      // the live set is scored by expiry: only the due ones are read
      Range<Long> due =
          Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli()));
      List<byte[]> ids =
          redis.call(
              "ZRANGEBYSCORE",
              c -> c.zrangebyscore(key(LIVE), due, Limit.create(0, limit + requests.size())));
      Map<String, PairingRequest> candidates = new LinkedHashMap<>();
      for (byte[] id : ids) {
        String requestId = new String(id, StandardCharsets.UTF_8);
        request(requestId).ifPresent(r -> candidates.put(requestId, r));
      }
      requests.values().stream()
          .flatMap(Optional::stream)
          .forEach(r -> candidates.put(r.requestId(), r));
      return candidates.values().stream()
          .filter(r -> r.state().live() && r.expiredAt(now))
          .sorted(Comparator.comparing(PairingRequest::expiresAt))
          .limit(limit)
          .toList();
    }

    @Override
    public void insert(PairingRequest request) {
      if (request(request.requestId()).isPresent()) {
        throw new IllegalStateException("duplicate request id " + request.requestId());
      }
      if (request.state().live() && pendingBySender(request.requester()).isPresent()) {
        throw new IllegalStateException("the requester already has a live request");
      }
      boolean newest =
          latestByCodeHash(request.codeHash())
              .map(r -> !r.createdAt().isAfter(request.createdAt()))
              .orElse(true);
      write(request);
      if (newest) {
        index(request.codeHash(), request.requestId());
      }
    }

    @Override
    public void update(PairingRequest request) {
      Optional<PairingRequest> before = request(request.requestId());
      if (before.isEmpty()) {
        return; // as UPDATE … WHERE request_id = ?: no row, nothing changes
      }
      if (!before.get().codeHash().equals(request.codeHash())) {
        unindex(before.get());
        index(request.codeHash(), request.requestId());
      }
      write(request);
    }

    private void write(PairingRequest r) {
      requests.put(r.requestId(), Optional.of(r));
      writes.hset(REQUESTS, r.requestId(), PairingRows.requestRow(r));
      if (r.state().live()) {
        writes.zadd(LIVE, r.expiresAt().toEpochMilli(), r.requestId());
      } else {
        writes.zrem(LIVE, r.requestId());
      }
      if (!r.state().live() && r.resolvedAt().isPresent()) {
        writes.zadd(RESOLVED, r.resolvedAt().get().toEpochMilli(), r.requestId());
      } else {
        writes.zrem(RESOLVED, r.requestId());
      }
    }

    private void index(String codeHash, String requestId) {
      byCode.put(codeHash, Optional.of(requestId));
      writes.hset(BY_CODE, codeHash, utf8(requestId));
    }

    private void unindex(PairingRequest r) {
      if (indexedByCode(r.codeHash()).filter(r.requestId()::equals).isPresent()) {
        byCode.put(r.codeHash(), Optional.empty());
        writes.hdel(BY_CODE, r.codeHash());
      }
    }

    @Override
    public int forgetResolvedBefore(Instant cutoff) {
      events.forgetBefore(cutoff);
      Range<Long> old =
          Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(cutoff.toEpochMilli()));
      List<byte[]> ids = redis.call("ZRANGEBYSCORE", c -> c.zrangebyscore(key(RESOLVED), old));
      List<String> candidates = new ArrayList<>();
      ids.forEach(id -> candidates.add(new String(id, StandardCharsets.UTF_8)));
      requests.values().stream()
          .flatMap(Optional::stream)
          .forEach(r -> candidates.add(r.requestId()));
      int forgotten = 0;
      for (String id : candidates.stream().distinct().toList()) {
        Optional<PairingRequest> r = request(id);
        boolean resolvedBefore =
            r.filter(p -> !p.state().live())
                .flatMap(PairingRequest::resolvedAt)
                .filter(t -> t.isBefore(cutoff))
                .isPresent();
        if (resolvedBefore) {
          unindex(r.get());
          requests.put(id, Optional.empty());
          writes.hdel(REQUESTS, id);
          writes.zrem(LIVE, id);
          writes.zrem(RESOLVED, id);
          forgotten++;
        }
      }
      return forgotten;
    }

    @Override
    public Optional<Grant> grant(Requester requester) {
      Grant mine = grants.get(PairingRows.requesterKey(requester));
      if (mine != null) {
        return Optional.of(mine);
      }
      byte[] stored =
          redis.call("HGET", c -> c.hget(key(GRANTS), utf8(PairingRows.requesterKey(requester))));
      return Optional.ofNullable(stored).map(PairingRows::readGrant);
    }

    @Override
    public List<Grant> grants(boolean includeRevoked) {
      List<byte[]> stored = redis.call("HVALS", c -> c.hvals(key(GRANTS)));
      Map<String, Grant> all = new LinkedHashMap<>();
      for (byte[] s : stored) {
        Grant g = PairingRows.readGrant(s);
        all.put(PairingRows.requesterKey(g.requester()), g);
      }
      all.putAll(grants);
      return all.values().stream()
          .filter(g -> includeRevoked || g.active())
          .sorted(Comparator.comparing(Grant::approvedAt))
          .toList();
    }

    @Override
    public void putGrant(Grant grant) {
      String k = PairingRows.requesterKey(grant.requester());
      grants.put(k, grant);
      writes.hset(GRANTS, k, PairingRows.grantRow(grant));
    }

    @Override
    public long append(PairingEvent event) {
      return events.append(event);
    }

    @Override
    public List<PairingEvent> events(long afterSeq, int limit) {
      return events.after(afterSeq, limit);
    }

    void finish() {
      events.finish(tables.options().maxEvents());
    }

    private byte[] key(String name) {
      return redis.key(name);
    }
  }

  private static byte[] utf8(String s) {
    return RedisConnection.utf8(s);
  }
}
