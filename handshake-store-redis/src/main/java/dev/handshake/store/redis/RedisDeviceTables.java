package dev.handshake.store.redis;

import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.device.BootstrapToken;
import dev.handshake.pairing.device.DeviceEvent;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceStores;
import dev.handshake.pairing.device.DeviceTables;
import dev.handshake.pairing.device.PairedDevice;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Device pairing rows (requests, paired devices, their tokens, bootstrap tokens, events) in Redis,
 * under the one {@link DeviceStore} rule set: {@link #store} puts {@code TransactionalDeviceStore}
 * on top, as for memory, SQLite and PostgreSQL.
 *
 * <p>Like {@link RedisPairingTables}: every unit of work takes the lock {@code device:lock}, reads
 * from Redis and applies its writes in one script that first checks the lock is still its own
 * ({@link RedisTables}), so the units of work of all nodes run one after the other: two nodes
 * approving one request, or redeeming one bootstrap token, give one success. A unit of work that
 * throws writes nothing.
 *
 * <p><b>Layout</b> (after the connection's key prefix): {@code device:requests} hash of request id
 * → request (JSON); {@code device:live} the live ids scored by expiry; {@code device:resolved} the
 * resolved ids scored by resolution time; {@code device:paired} hash of device id → device; {@code
 * device:tokens:<deviceId>} hash of role → token row (the secret only as the HMAC the service
 * gives); {@code device:bootstrap} hash of id → bootstrap token row, {@code device:bootstrap-hash}
 * hash of its HMAC → id; {@code device:events} sorted set of events scored by {@code seq}, counted
 * by {@code device:event-seq}.
 */
public final class RedisDeviceTables implements DeviceTables {
  private static final String LOCK = "device:lock";
  private static final String REQUESTS = "device:requests";
  private static final String LIVE = "device:live";
  private static final String RESOLVED = "device:resolved";
  private static final String PAIRED = "device:paired";
  private static final String TOKENS = "device:tokens:";
  private static final String BOOTSTRAP = "device:bootstrap";
  private static final String BOOTSTRAP_HASH = "device:bootstrap-hash";
  private static final String EVENTS = "device:events";
  private static final String EVENT_SEQ = "device:event-seq";

  private final RedisTables tables;
  private volatile boolean closed;

  private RedisDeviceTables(RedisTables tables) {
    this.tables = tables;
  }

  /** The device tables on {@code redis}, with {@link RedisTableOptions#DEFAULTS}. */
  public static RedisDeviceTables open(RedisConnection redis) {
    return open(redis, RedisTableOptions.DEFAULTS);
  }

  public static RedisDeviceTables open(RedisConnection redis, RedisTableOptions options) {
    return new RedisDeviceTables(RedisTables.create(redis, "device tables", options, true));
  }

  /**
   * A {@link DeviceStore} over the device tables on {@code redis}.
   *
   * @param pepper the server's pepper; tokens are hashed under {@code derive("device-token")}
   */
  public static DeviceStore store(
      RedisConnection redis, DevicePairingConfig config, Pepper pepper, Clock clock) {
    return DeviceStores.over(open(redis), config, pepper, clock);
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    if (closed) {
      throw new IllegalStateException("device pairing store is closed");
    }
    return tables.run(
        LOCK,
        writes -> {
          RedisTx tx = new RedisTx(writes);
          T result = work.run(tx);
          tx.events.finish(tables.options().maxEvents());
          return result;
        });
  }

  /** Marks the tables closed; the connection stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  /** The rows inside one unit of work; rows it changed are answered from its own overlay. */
  private final class RedisTx implements Tx {
    private final RedisTables.Writes writes;
    private final RedisConnection redis = tables.redis();
    private final EventLog<DeviceEvent> events;

    /** Changed here, by key; empty when deleted. */
    private final Map<String, Optional<DeviceRequest>> requests = new LinkedHashMap<>();

    private final Map<String, Optional<PairedDevice>> devices = new LinkedHashMap<>();
    private final Map<String, Map<String, TokenRow>> tokens = new HashMap<>();

    /** Devices whose stored tokens were deleted here. */
    private final Set<String> tokensDeleted = new HashSet<>();

    private final Map<String, Optional<BootstrapRow>> bootstrap = new LinkedHashMap<>();

    RedisTx(RedisTables.Writes writes) {
      this.writes = writes;
      this.events = EventLog.in(EVENTS, EVENT_SEQ, DeviceRows.EVENT_CODEC, redis, writes);
    }

    private byte[] hget(String key, String field) {
      return redis.call("HGET", c -> c.hget(redis.key(key), utf8(field)));
    }

    // ---- requests -----------------------------------------------------------------------------

    @Override
    public Optional<DeviceRequest> request(String requestId) {
      Optional<DeviceRequest> mine = requests.get(requestId);
      if (mine != null) {
        return mine;
      }
      return Optional.ofNullable(hget(REQUESTS, requestId)).map(DeviceRows::readRequest);
    }

    /** The live requests, oldest first. */
    private List<DeviceRequest> live() {
      List<byte[]> ids = redis.call("ZRANGE", c -> c.zrange(redis.key(LIVE), 0, -1));
      Map<String, DeviceRequest> found = new LinkedHashMap<>();
      if (!ids.isEmpty()) {
        byte[][] fields = ids.toArray(byte[][]::new);
        List<KeyValue<byte[], byte[]>> rows =
            redis.call("HMGET", c -> c.hmget(redis.key(REQUESTS), fields));
        for (KeyValue<byte[], byte[]> kv : rows) {
          if (kv.hasValue()) {
            DeviceRequest r = DeviceRows.readRequest(kv.getValue());
            found.put(r.requestId(), r);
          }
        }
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
          .sorted(Comparator.comparing(DeviceRequest::createdAt))
          .toList();
    }

    @Override
    public Optional<DeviceRequest> pendingByDevice(String deviceId) {
      return live().stream().filter(r -> r.deviceId().equals(deviceId)).findFirst();
    }

    @Override
    public int countPending() {
      return live().size();
    }

    @Override
    public int countPendingFrom(String remoteAddress) {
      return (int) live().stream().filter(r -> r.remoteAddress().equals(remoteAddress)).count();
    }

    @Override
    public List<DeviceRequest> pending() {
      return live();
    }

    @Override
    public List<DeviceRequest> pendingExpiredBy(Instant now, int limit) {
      Range<Long> due =
          Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli()));
      List<byte[]> ids =
          redis.call(
              "ZRANGEBYSCORE",
              c -> c.zrangebyscore(redis.key(LIVE), due, Limit.create(0, limit + requests.size())));
      Map<String, DeviceRequest> candidates = new LinkedHashMap<>();
      for (byte[] id : ids) {
        String requestId = new String(id, StandardCharsets.UTF_8);
        request(requestId).ifPresent(r -> candidates.put(requestId, r));
      }
      requests.values().stream()
          .flatMap(Optional::stream)
          .forEach(r -> candidates.put(r.requestId(), r));
      return candidates.values().stream()
          .filter(r -> r.state().live() && r.expiredAt(now))
          .sorted(Comparator.comparing(DeviceRequest::expiresAt))
          .limit(limit)
          .toList();
    }

    @Override
    public void insert(DeviceRequest request) {
      if (request(request.requestId()).isPresent()) {
        throw new IllegalStateException("duplicate request id " + request.requestId());
      }
      if (request.state().live() && pendingByDevice(request.deviceId()).isPresent()) {
        throw new IllegalStateException("device already has a live request");
      }
      write(request);
    }

    @Override
    public void update(DeviceRequest request) {
      if (request(request.requestId()).isPresent()) {
        write(request);
      }
    }

    private void write(DeviceRequest r) {
      requests.put(r.requestId(), Optional.of(r));
      writes.hset(REQUESTS, r.requestId(), DeviceRows.requestRow(r));
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

    // ---- devices and their tokens -------------------------------------------------------------

    @Override
    public Optional<PairedDevice> device(String deviceId) {
      Optional<PairedDevice> mine = devices.get(deviceId);
      if (mine != null) {
        return mine;
      }
      return Optional.ofNullable(hget(PAIRED, deviceId)).map(DeviceRows::readDevice);
    }

    @Override
    public List<PairedDevice> devices() {
      List<byte[]> stored = redis.call("HVALS", c -> c.hvals(redis.key(PAIRED)));
      Map<String, PairedDevice> all = new LinkedHashMap<>();
      for (byte[] s : stored) {
        PairedDevice d = DeviceRows.readDevice(s);
        all.put(d.deviceId(), d);
      }
      devices.forEach((id, d) -> {
        if (d.isPresent()) {
          all.put(id, d.get());
        } else {
          all.remove(id);
        }
      });
      return all.values().stream().sorted(Comparator.comparing(PairedDevice::pairedAt)).toList();
    }

    @Override
    public void putDevice(PairedDevice device) {
      devices.put(device.deviceId(), Optional.of(device));
      writes.hset(PAIRED, device.deviceId(), DeviceRows.deviceRow(device));
    }

    @Override
    public boolean deleteDevice(String deviceId) {
      if (device(deviceId).isEmpty()) {
        return false;
      }
      devices.put(deviceId, Optional.empty());
      tokens.remove(deviceId);
      tokensDeleted.add(deviceId);
      writes.hdel(PAIRED, deviceId);
      writes.del(TOKENS + deviceId);
      return true;
    }

    @Override
    public Optional<TokenRow> token(String deviceId, String role) {
      TokenRow mine = tokens.getOrDefault(deviceId, Map.of()).get(role);
      if (mine != null) {
        return Optional.of(mine);
      }
      if (tokensDeleted.contains(deviceId)) {
        return Optional.empty();
      }
      return Optional.ofNullable(hget(TOKENS + deviceId, role)).map(DeviceRows::readToken);
    }

    @Override
    public List<TokenRow> tokens(String deviceId) {
      Map<String, TokenRow> all = new HashMap<>();
      if (!tokensDeleted.contains(deviceId)) {
        List<byte[]> stored = redis.call("HVALS", c -> c.hvals(redis.key(TOKENS + deviceId)));
        for (byte[] s : stored) {
          TokenRow t = DeviceRows.readToken(s);
          all.put(t.token().role(), t);
        }
      }
      all.putAll(tokens.getOrDefault(deviceId, Map.of()));
      return all.values().stream()
          .sorted(Comparator.comparing((TokenRow t) -> t.token().role()))
          .toList();
    }

    @Override
    public void putToken(TokenRow row) {
      String deviceId = row.token().deviceId();
      tokens.computeIfAbsent(deviceId, k -> new HashMap<>()).put(row.token().role(), row);
      writes.hset(TOKENS + deviceId, row.token().role(), DeviceRows.tokenRow(row));
    }

    // ---- bootstrap tokens ---------------------------------------------------------------------

    private Optional<BootstrapRow> bootstrapById(String id) {
      Optional<BootstrapRow> mine = bootstrap.get(id);
      if (mine != null) {
        return mine;
      }
      return Optional.ofNullable(hget(BOOTSTRAP, id)).map(DeviceRows::readBootstrap);
    }

    @Override
    public Optional<BootstrapRow> bootstrapByHash(String hash) {
      for (Optional<BootstrapRow> mine : bootstrap.values()) {
        if (mine.isPresent() && mine.get().hash().equals(hash)) {
          return mine;
        }
      }
      byte[] id = hget(BOOTSTRAP_HASH, hash);
      return id == null
          ? Optional.empty()
          : bootstrapById(new String(id, StandardCharsets.UTF_8))
              .filter(b -> b.hash().equals(hash));
    }

    private List<BootstrapRow> allBootstrap() {
      List<byte[]> stored = redis.call("HVALS", c -> c.hvals(redis.key(BOOTSTRAP)));
      Map<String, BootstrapRow> all = new LinkedHashMap<>();
      for (byte[] s : stored) {
        BootstrapRow b = DeviceRows.readBootstrap(s);
        all.put(b.token().id(), b);
      }
      bootstrap.forEach((id, b) -> {
        if (b.isPresent()) {
          all.put(id, b.get());
        } else {
          all.remove(id);
        }
      });
      return List.copyOf(all.values());
    }

    @Override
    public List<BootstrapToken> redeemableBootstrap(Instant now) {
      return allBootstrap().stream()
          .map(BootstrapRow::token)
          .filter(t -> t.redeemableAt(now))
          .sorted(Comparator.comparing(BootstrapToken::issuedAt))
          .toList();
    }

    @Override
    public void insertBootstrap(BootstrapRow row) {
      writeBootstrap(row);
      writes.hset(BOOTSTRAP_HASH, row.hash(), utf8(row.token().id()));
    }

    @Override
    public void updateBootstrap(BootstrapToken token) {
      BootstrapRow row =
          bootstrapById(token.id())
              .orElseThrow(() -> new IllegalStateException("no bootstrap token " + token.id()));
      writeBootstrap(new BootstrapRow(token, row.hash()));
    }

    private void writeBootstrap(BootstrapRow row) {
      bootstrap.put(row.token().id(), Optional.of(row));
      writes.hset(BOOTSTRAP, row.token().id(), DeviceRows.bootstrapRow(row));
    }

    // ---- forgetting and events ----------------------------------------------------------------

    @Override
    public void forgetBefore(Instant cutoff) {
      events.forgetBefore(cutoff);
      Range<Long> old =
          Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(cutoff.toEpochMilli()));
      List<byte[]> ids =
          redis.call("ZRANGEBYSCORE", c -> c.zrangebyscore(redis.key(RESOLVED), old));
      Set<String> candidates = new LinkedHashSet<>();
      ids.forEach(id -> candidates.add(new String(id, StandardCharsets.UTF_8)));
      requests.values().stream()
          .flatMap(Optional::stream)
          .forEach(r -> candidates.add(r.requestId()));
      for (String id : candidates) {
        boolean resolvedBefore =
            request(id)
                .filter(r -> !r.state().live())
                .flatMap(DeviceRequest::resolvedAt)
                .filter(t -> t.isBefore(cutoff))
                .isPresent();
        if (resolvedBefore) {
          requests.put(id, Optional.empty());
          writes.hdel(REQUESTS, id);
          writes.zrem(LIVE, id);
          writes.zrem(RESOLVED, id);
        }
      }
      for (BootstrapRow b : allBootstrap()) {
        BootstrapToken t = b.token();
        if (t.redeemedAt().orElse(t.expiresAt()).isBefore(cutoff)) {
          bootstrap.put(t.id(), Optional.empty());
          writes.hdel(BOOTSTRAP, t.id());
          writes.hdel(BOOTSTRAP_HASH, b.hash());
        }
      }
    }

    @Override
    public long append(DeviceEvent event) {
      return events.append(event);
    }

    @Override
    public List<DeviceEvent> events(long afterSeq, int limit) {
      return events.after(afterSeq, limit);
    }
  }

  private static byte[] utf8(String s) {
    return RedisConnection.utf8(s);
  }
}
