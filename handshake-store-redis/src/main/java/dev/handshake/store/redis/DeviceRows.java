package dev.handshake.store.redis;

import dev.handshake.pairing.device.BootstrapToken;
import dev.handshake.pairing.device.DeviceEvent;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceRequestState;
import dev.handshake.pairing.device.DeviceTables.BootstrapRow;
import dev.handshake.pairing.device.DeviceTables.TokenRow;
import dev.handshake.pairing.device.DeviceToken;
import dev.handshake.pairing.device.PairedDevice;
import java.time.Instant;

/** The device tables' rows as {@link JsonRow}s, as {@link RedisDeviceTables} stores them. */
final class DeviceRows {
  private DeviceRows() {}

  static byte[] requestRow(DeviceRequest r) {
    return JsonRow.create()
        .put("id", r.requestId())
        .put("deviceId", r.deviceId())
        .put("publicKey", r.publicKey())
        .put("displayName", r.displayName())
        .put("platform", r.platform())
        .put("clientId", r.clientId())
        .put("role", r.role())
        .put("scopes", r.scopes())
        .put("remoteAddress", r.remoteAddress())
        .put("createdAt", r.createdAt())
        .put("lastSeenAt", r.lastSeenAt())
        .put("expiresAt", r.expiresAt())
        .put("state", r.state().name())
        .put("isUpgrade", r.isUpgrade())
        .putString("resolvedBy", r.resolvedBy())
        .putInstant("resolvedAt", r.resolvedAt())
        .putString("supersededBy", r.supersededBy())
        .bytes();
  }

  static DeviceRequest readRequest(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new DeviceRequest(
        row.string("id"),
        row.string("deviceId"),
        row.string("publicKey"),
        row.string("displayName"),
        row.string("platform"),
        row.string("clientId"),
        row.string("role"),
        row.strings("scopes"),
        row.string("remoteAddress"),
        row.instant("createdAt"),
        row.instant("lastSeenAt"),
        row.instant("expiresAt"),
        DeviceRequestState.valueOf(row.string("state")),
        row.flag("isUpgrade"),
        row.optionalString("resolvedBy"),
        row.optionalInstant("resolvedAt"),
        row.optionalString("supersededBy"));
  }

  static byte[] deviceRow(PairedDevice d) {
    return JsonRow.create()
        .put("deviceId", d.deviceId())
        .put("publicKey", d.publicKey())
        .put("displayName", d.displayName())
        .put("platform", d.platform())
        .put("clientId", d.clientId())
        .put("roles", d.approvedRoles())
        .put("scopes", d.approvedScopes())
        .put("pairedAt", d.pairedAt())
        .put("approvedBy", d.approvedBy())
        .put("updatedAt", d.updatedAt())
        .bytes();
  }

  static PairedDevice readDevice(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new PairedDevice(
        row.string("deviceId"),
        row.string("publicKey"),
        row.string("displayName"),
        row.string("platform"),
        row.string("clientId"),
        row.strings("roles"),
        row.strings("scopes"),
        row.instant("pairedAt"),
        row.string("approvedBy"),
        row.instant("updatedAt"));
  }

  static byte[] tokenRow(TokenRow r) {
    DeviceToken t = r.token();
    return JsonRow.create()
        .put("deviceId", t.deviceId())
        .put("role", t.role())
        .put("generation", t.generation())
        .put("issuedAt", t.issuedAt())
        .put("issuedBy", t.issuedBy())
        .putInstant("revokedAt", t.revokedAt())
        .putString("revokedBy", t.revokedBy())
        .putInstant("lastUsedAt", t.lastUsedAt())
        .put("hash", r.hash())
        .bytes();
  }

  static TokenRow readToken(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new TokenRow(
        new DeviceToken(
            row.string("deviceId"),
            row.string("role"),
            (int) row.number("generation"),
            row.instant("issuedAt"),
            row.string("issuedBy"),
            row.optionalInstant("revokedAt"),
            row.optionalString("revokedBy"),
            row.optionalInstant("lastUsedAt")),
        row.string("hash"));
  }

  static byte[] bootstrapRow(BootstrapRow r) {
    BootstrapToken t = r.token();
    return JsonRow.create()
        .put("id", t.id())
        .put("issuedAt", t.issuedAt())
        .put("expiresAt", t.expiresAt())
        .put("issuedBy", t.issuedBy())
        .putInstant("redeemedAt", t.redeemedAt())
        .putString("redeemedBy", t.redeemedBy())
        .putString("redeemedKey", t.redeemedKey())
        .put("hash", r.hash())
        .bytes();
  }

  static BootstrapRow readBootstrap(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new BootstrapRow(
        new BootstrapToken(
            row.string("id"),
            row.instant("issuedAt"),
            row.instant("expiresAt"),
            row.string("issuedBy"),
            row.optionalInstant("redeemedAt"),
            row.optionalString("redeemedBy"),
            row.optionalString("redeemedKey")),
        row.string("hash"));
  }

  static final EventLog.Codec<DeviceEvent> EVENT_CODEC =
      new EventLog.Codec<>() {
        @Override
        public byte[] write(DeviceEvent e) {
          return JsonRow.create()
              .put("seq", e.seq())
              .put("type", e.type().name())
              .put("subject", e.subject())
              .putString("deviceId", e.deviceId())
              .putString("role", e.role())
              .put("actor", e.actor())
              .put("at", e.at())
              .bytes();
        }

        @Override
        public DeviceEvent read(byte[] stored) {
          JsonRow row = JsonRow.parse(stored);
          return new DeviceEvent(
              row.number("seq"),
              DeviceEvent.Type.valueOf(row.string("type")),
              row.string("subject"),
              row.optionalString("deviceId"),
              row.optionalString("role"),
              row.string("actor"),
              row.instant("at"));
        }

        @Override
        public long seq(DeviceEvent e) {
          return e.seq();
        }

        @Override
        public Instant at(DeviceEvent e) {
          return e.at();
        }

        @Override
        public DeviceEvent numbered(DeviceEvent e, long seq) {
          return new DeviceEvent(
              seq, e.type(), e.subject(), e.deviceId(), e.role(), e.actor(), e.at());
        }
      };
}
