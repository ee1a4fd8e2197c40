package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link DeviceStore} keeps its rows. {@link TransactionalDeviceStore} holds every rule;
 * an implementation only runs each unit of work as one serialisable transaction (the SQLite one
 * takes the database's write lock first, so two processes serialise). Public so that stores in
 * other modules (PostgreSQL) can supply their rows; {@link DeviceStores#over} puts the rules on
 * top.
 */
public interface DeviceTables extends AutoCloseable {

  /** Runs {@code work} as one transaction; a {@link RuntimeException} from it rolls back. */
  <T> T inTransaction(Work<T> work);

  @Override
  void close();

  @FunctionalInterface
  interface Work<T> {
    T run(Tx tx);
  }

  /** A token's row: what is shown about it and the HMAC of the secret. */
  record TokenRow(DeviceToken token, String hash) {}

  /** A bootstrap token's row. */
  record BootstrapRow(BootstrapToken token, String hash) {}

  /** The rows, inside one transaction. */
  interface Tx {
    Optional<DeviceRequest> request(String requestId);

    Optional<DeviceRequest> pendingByDevice(String deviceId);

    int countPending();

    int countPendingFrom(String remoteAddress);

    /** Live requests, oldest first. */
    List<DeviceRequest> pending();

    /** Live requests whose expiry is at or before {@code now}, up to {@code limit}. */
    List<DeviceRequest> pendingExpiredBy(Instant now, int limit);

    void insert(DeviceRequest request);

    void update(DeviceRequest request);

    Optional<PairedDevice> device(String deviceId);

    List<PairedDevice> devices();

    /** Inserts or replaces the device. */
    void putDevice(PairedDevice device);

    /** Deletes the device and its tokens; false when there was none. */
    boolean deleteDevice(String deviceId);

    Optional<TokenRow> token(String deviceId, String role);

    List<TokenRow> tokens(String deviceId);

    /** Inserts or replaces the token of (device, role). */
    void putToken(TokenRow row);

    Optional<BootstrapRow> bootstrapByHash(String hash);

    /** Unredeemed tokens not expired at {@code now}, oldest first. */
    List<BootstrapToken> redeemableBootstrap(Instant now);

    void insertBootstrap(BootstrapRow row);

    void updateBootstrap(BootstrapToken token);

    /**
     * Deletes resolved requests resolved before {@code cutoff}, bootstrap tokens redeemed or
     * expired before it, and events before it.
     */
    void forgetBefore(Instant cutoff);

    /** Appends an event; the {@code seq} given is ignored and the stored one returned. */
    long append(DeviceEvent event);

    List<DeviceEvent> events(long afterSeq, int limit);
  }
}
