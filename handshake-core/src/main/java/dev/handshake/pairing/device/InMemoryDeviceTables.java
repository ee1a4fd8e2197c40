package dev.handshake.pairing.device;

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
 * Device pairing rows in memory, for tests and single-process use: one lock serialises the
 * transactions, and an undo log rolls back a unit of work that throws.
 */
final class InMemoryDeviceTables implements DeviceTables {
  private final Map<String, DeviceRequest> requests = new LinkedHashMap<>();
  private final Map<String, PairedDevice> devices = new LinkedHashMap<>();
  private final Map<String, TokenRow> tokens = new LinkedHashMap<>();
  private final Map<String, BootstrapRow> bootstrap = new LinkedHashMap<>();
  private final List<DeviceEvent> events = new ArrayList<>();
  private final int maxEvents;
  private long lastSeq;

  InMemoryDeviceTables(int maxEvents) {
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

  private static String tokenKey(String deviceId, String role) {
    return deviceId + "\u0000" + role;
  }

  /** Puts {@code value} under {@code key} and records how to undo it. */
  private static <K, V> void put(Deque<Runnable> undo, Map<K, V> map, K key, V value) {
    V before = map.put(key, value);
    undo.push(() -> {
      if (before == null) {
        map.remove(key);
      } else {
        map.put(key, before);
      }
    });
  }

  private final class MemoryTx implements Tx {
    private final Deque<Runnable> undo;

    MemoryTx(Deque<Runnable> undo) {
      this.undo = undo;
    }

    @Override
    public Optional<DeviceRequest> request(String requestId) {
      return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public Optional<DeviceRequest> pendingByDevice(String deviceId) {
      return requests.values().stream()
          .filter(r -> r.state().live() && r.deviceId().equals(deviceId))
          .findFirst();
    }

    @Override
    public int countPending() {
      return (int) requests.values().stream().filter(r -> r.state().live()).count();
    }

    @Override
    public int countPendingFrom(String remoteAddress) {
      return (int) requests.values().stream()
          .filter(r -> r.state().live() && r.remoteAddress().equals(remoteAddress))
          .count();
    }

    @Override
    public List<DeviceRequest> pending() {
      return requests.values().stream()
          .filter(r -> r.state().live())
          .sorted(Comparator.comparing(DeviceRequest::createdAt))
          .toList();
    }

    @Override
    public List<DeviceRequest> pendingExpiredBy(Instant now, int limit) {
      return requests.values().stream()
          .filter(r -> r.state().live() && r.expiredAt(now))
          .limit(limit)
          .toList();
    }

    @Override
    public void insert(DeviceRequest request) {
      if (requests.containsKey(request.requestId())) {
        throw new IllegalStateException("duplicate request id " + request.requestId());
      }
      if (request.state().live() && pendingByDevice(request.deviceId()).isPresent()) {
        throw new IllegalStateException("device already has a live request");
      }
      put(undo, requests, request.requestId(), request);
    }

    @Override
    public void update(DeviceRequest request) {
      put(undo, requests, request.requestId(), request);
    }

    @Override
    public Optional<PairedDevice> device(String deviceId) {
      return Optional.ofNullable(devices.get(deviceId));
    }

    @Override
    public List<PairedDevice> devices() {
      return devices.values().stream()
          .sorted(Comparator.comparing(PairedDevice::pairedAt))
          .toList();
    }

    @Override
    public void putDevice(PairedDevice device) {
      put(undo, devices, device.deviceId(), device);
    }

    @Override
    public boolean deleteDevice(String deviceId) {
      PairedDevice before = devices.remove(deviceId);
      if (before == null) {
        return false;
      }
      undo.push(() -> devices.put(deviceId, before));
      List<Map.Entry<String, TokenRow>> gone = tokens.entrySet().stream()
          .filter(e -> e.getValue().token().deviceId().equals(deviceId))
          .map(e -> Map.entry(e.getKey(), e.getValue()))
          .toList();
      gone.forEach(e -> tokens.remove(e.getKey()));
      undo.push(() -> gone.forEach(e -> tokens.put(e.getKey(), e.getValue())));
      return true;
    }

    @Override
    public Optional<TokenRow> token(String deviceId, String role) {
      return Optional.ofNullable(tokens.get(tokenKey(deviceId, role)));
    }

    @Override
    public List<TokenRow> tokens(String deviceId) {
      return tokens.values().stream()
          .filter(t -> t.token().deviceId().equals(deviceId))
          .sorted(Comparator.comparing(t -> t.token().role()))
          .toList();
    }

    @Override
    public void putToken(TokenRow row) {
      put(undo, tokens, tokenKey(row.token().deviceId(), row.token().role()), row);
    }

    @Override
    public Optional<BootstrapRow> bootstrapByHash(String hash) {
      return bootstrap.values().stream().filter(b -> b.hash().equals(hash)).findFirst();
    }

    @Override
    public List<BootstrapToken> redeemableBootstrap(Instant now) {
      return bootstrap.values().stream()
          .map(BootstrapRow::token)
          .filter(t -> t.redeemableAt(now))
          .sorted(Comparator.comparing(BootstrapToken::issuedAt))
          .toList();
    }

    @Override
    public void insertBootstrap(BootstrapRow row) {
      put(undo, bootstrap, row.token().id(), row);
    }

    @Override
    public void updateBootstrap(BootstrapToken token) {
      BootstrapRow row = bootstrap.get(token.id());
      if (row == null) {
        throw new IllegalStateException("no bootstrap token " + token.id());
      }
      put(undo, bootstrap, token.id(), new BootstrapRow(token, row.hash()));
    }

    @Override
    public void forgetBefore(Instant cutoff) {
      removeWhere(requests, r -> !r.state().live()
          && r.resolvedAt().map(t -> t.isBefore(cutoff)).orElse(false));
      removeWhere(bootstrap, b -> b.token().redeemedAt().orElse(b.token().expiresAt())
          .isBefore(cutoff));
      List<DeviceEvent> old = events.stream().filter(e -> e.at().isBefore(cutoff)).toList();
      events.removeAll(old);
      undo.push(() -> {
        events.addAll(old);
        events.sort(Comparator.comparingLong(DeviceEvent::seq));
      });
    }

    private <V> void removeWhere(Map<String, V> map, java.util.function.Predicate<V> test) {
      List<Map.Entry<String, V>> gone = map.entrySet().stream()
          .filter(e -> test.test(e.getValue()))
          .map(e -> Map.entry(e.getKey(), e.getValue()))
          .toList();
      gone.forEach(e -> map.remove(e.getKey()));
      undo.push(() -> gone.forEach(e -> map.put(e.getKey(), e.getValue())));
    }

    @Override
    public long append(DeviceEvent event) {
      long seq = ++lastSeq;
      events.add(new DeviceEvent(seq, event.type(), event.subject(), event.deviceId(),
          event.role(), event.actor(), event.at()));
      DeviceEvent dropped = events.size() > maxEvents ? events.removeFirst() : null;
      undo.push(() -> {
        events.removeIf(e -> e.seq() == seq);
        if (dropped != null) {
          events.addFirst(dropped);
        }
        lastSeq = seq - 1;
      });
      return seq;
    }

    @Override
    public List<DeviceEvent> events(long afterSeq, int limit) {
      return events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }
  }
}
