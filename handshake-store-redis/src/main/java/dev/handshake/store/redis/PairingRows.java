package dev.handshake.store.redis;

import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.RequestState;
import dev.handshake.pairing.Requester;
import java.time.Instant;

/**
 * The pairing tables' rows as {@link JsonRow}s, as {@link RedisPairingTables} stores them, and the
 * one way a requester becomes a hash field (shared with {@link RedisAccessTokenStore}).
 */
final class PairingRows {
  private PairingRows() {}

  /** A requester as one hash field: its parts cannot contain the control character between them. */
  static String requesterKey(Requester r) {
    return r.channelType() + '\u0000' + r.accountId() + '\u0000' + r.senderId();
  }

  static void putRequester(JsonRow row, Requester r) {
    row.put("channel", r.channelType()).put("account", r.accountId()).put("sender", r.senderId());
  }

  static Requester requester(JsonRow row) {
    return new Requester(row.string("channel"), row.string("account"), row.string("sender"));
  }

  static byte[] requestRow(PairingRequest r) {
    JsonRow row = JsonRow.create().put("id", r.requestId());
    putRequester(row, r.requester());
    return row.put("meta", r.displayMeta())
        .put("codeHash", r.codeHash())
        .put("createdAt", r.createdAt())
        .put("lastSeenAt", r.lastSeenAt())
        .put("expiresAt", r.expiresAt())
        .put("state", r.state().name())
        .put("failedAttempts", r.failedAttempts())
        .putString("resolvedBy", r.resolvedBy())
        .putInstant("resolvedAt", r.resolvedAt())
        .putString("supersededBy", r.supersededBy())
        .bytes();
  }

  static PairingRequest readRequest(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new PairingRequest(
        row.string("id"),
        requester(row),
        row.map("meta"),
        row.string("codeHash"),
        row.instant("createdAt"),
        row.instant("lastSeenAt"),
        row.instant("expiresAt"),
        RequestState.valueOf(row.string("state")),
        (int) row.number("failedAttempts"),
        row.optionalString("resolvedBy"),
        row.optionalInstant("resolvedAt"),
        row.optionalString("supersededBy"));
  }

  static byte[] grantRow(Grant g) {
    JsonRow row = JsonRow.create();
    putRequester(row, g.requester());
    return row.put("requestId", g.requestId())
        .put("approvedBy", g.approvedBy())
        .put("approvedAt", g.approvedAt())
        .put("scopes", g.scopes())
        .putInstant("revokedAt", g.revokedAt())
        .putString("revokedBy", g.revokedBy())
        .bytes();
  }

  static Grant readGrant(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new Grant(
        requester(row),
        row.string("requestId"),
        row.string("approvedBy"),
        row.instant("approvedAt"),
        row.strings("scopes"),
        row.optionalInstant("revokedAt"),
        row.optionalString("revokedBy"));
  }

  static final EventLog.Codec<PairingEvent> EVENT_CODEC =
      new EventLog.Codec<>() {
        @Override
        public byte[] write(PairingEvent e) {
          return eventRow(e);
        }

        @Override
        public PairingEvent read(byte[] stored) {
          return readEvent(stored);
        }

        @Override
        public long seq(PairingEvent e) {
          return e.seq();
        }

        @Override
        public Instant at(PairingEvent e) {
          return e.at();
        }

        @Override
        public PairingEvent numbered(PairingEvent e, long seq) {
          return new PairingEvent(seq, e.type(), e.requestId(), e.requester(), e.actor(), e.at());
        }
      };

  static byte[] eventRow(PairingEvent e) {
    JsonRow row =
        JsonRow.create()
            .put("seq", e.seq())
            .put("type", e.type().name())
            .put("requestId", e.requestId());
    putRequester(row, e.requester());
    return row.put("actor", e.actor()).put("at", e.at()).bytes();
  }

  static PairingEvent readEvent(byte[] stored) {
    JsonRow row = JsonRow.parse(stored);
    return new PairingEvent(
        row.number("seq"),
        PairingEvent.Type.valueOf(row.string("type")),
        row.string("requestId"),
        requester(row),
        row.string("actor"),
        row.instant("at"));
  }
}
