package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** The JSON shapes of requests, grants and events on the admin API and in {@code --json} listings. */
public final class PairingJson {
  private PairingJson() {}

  public static ObjectNode request(PairingRequest r) {
    ObjectNode n = Json.object();
    n.put("request_id", r.requestId());
    requester(n, r.requester());
    ObjectNode display = n.putObject("display");
    r.displayMeta().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> display.put(e.getKey(), e.getValue()));
    n.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
    n.put("created_at", r.createdAt().toString());
    n.put("last_seen_at", r.lastSeenAt().toString());
    n.put("expires_at", r.expiresAt().toString());
    n.put("failed_attempts", r.failedAttempts());
    optional(n, "resolved_by", r.resolvedBy());
    optional(n, "resolved_at", r.resolvedAt().map(Instant::toString));
    optional(n, "superseded_by", r.supersededBy());
    return n;
  }

  public static ObjectNode grant(Grant g) {
    ObjectNode n = Json.object();
    requester(n, g.requester());
    n.put("request_id", g.requestId());
    n.put("approved_by", g.approvedBy());
    n.put("approved_at", g.approvedAt().toString());
    g.scopes().stream().sorted().forEach(n.putArray("scopes")::add);
    n.put("active", g.active());
    optional(n, "revoked_at", g.revokedAt().map(Instant::toString));
    optional(n, "revoked_by", g.revokedBy());
    return n;
  }

  public static ObjectNode event(PairingEvent e) {
    ObjectNode n = Json.object();
    n.put("seq", e.seq());
    n.put("type", e.type().wireName());
    n.put("request_id", e.requestId());
    requester(n, e.requester());
    n.put("actor", e.actor());
    n.put("at", e.at().toString());
    return n;
  }

  private static void requester(ObjectNode n, Requester r) {
    n.put("channel", r.channelType());
    n.put("account", r.accountId());
    n.put("sender", r.senderId());
  }

  private static void optional(ObjectNode n, String name, Optional<String> value) {
    if (value.isPresent()) {
      n.put(name, value.get());
    } else {
      n.putNull(name);
    }
  }
}
