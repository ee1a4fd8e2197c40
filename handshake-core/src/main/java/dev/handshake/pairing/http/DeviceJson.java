package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceToken;
import dev.handshake.pairing.device.PairedDevice;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of device pairing shared by {@link DeviceHttpApi} and the {@code handshake
 * devices} CLI, snake_case like {@link PairingJson}. None of them carries a token secret.
 */
public final class DeviceJson {
  private DeviceJson() {}

  /** A device request, for operators (all fields). */
  public static ObjectNode request(DeviceRequest r) {
    ObjectNode n = Json.object();
    n.put("request_id", r.requestId());
    n.put("device_id", r.deviceId());
    n.put("display_name", r.displayName());
    n.put("platform", r.platform());
    n.put("client_id", r.clientId());
    n.put("role", r.role());
    strings(n.putArray("scopes"), r.scopes());
    n.put("remote_address", r.remoteAddress());
    n.put("created_at", r.createdAt().toString());
    n.put("expires_at", r.expiresAt().toString());
    n.put("state", state(r));
    n.put("upgrade", r.isUpgrade());
    optional(n, "resolved_by", r.resolvedBy());
    optional(n, "resolved_at", r.resolvedAt().map(Object::toString));
    optional(n, "superseded_by", r.supersededBy());
    return n;
  }

  /** What a waiting device may learn about its own request: its state, not who it is. */
  public static ObjectNode requestState(DeviceRequest r) {
    ObjectNode n = Json.object();
    n.put("request_id", r.requestId());
    n.put("state", state(r));
    n.put("role", r.role());
    n.put("upgrade", r.isUpgrade());
    n.put("expires_at", r.expiresAt().toString());
    optional(n, "superseded_by", r.supersededBy());
    return n;
  }

  /** A paired device with its approvals. */
  public static ObjectNode device(PairedDevice d) {
    ObjectNode n = Json.object();
    n.put("device_id", d.deviceId());
    n.put("display_name", d.displayName());
    n.put("platform", d.platform());
    n.put("client_id", d.clientId());
    strings(n.putArray("roles"), d.approvedRoles());
    strings(n.putArray("scopes"), d.approvedScopes());
    n.put("paired_at", d.pairedAt().toString());
    n.put("approved_by", d.approvedBy());
    n.put("updated_at", d.updatedAt().toString());
    return n;
  }

  /** A device token's record (never its secret). */
  public static ObjectNode token(DeviceToken t) {
    ObjectNode n = Json.object();
    n.put("device_id", t.deviceId());
    n.put("role", t.role());
    n.put("generation", t.generation());
    n.put("issued_at", t.issuedAt().toString());
    n.put("issued_by", t.issuedBy());
    n.put("state", t.live() ? "live" : "revoked");
    optional(n, "revoked_at", t.revokedAt().map(Object::toString));
    optional(n, "revoked_by", t.revokedBy());
    return n;
  }

  private static String state(DeviceRequest r) {
    return r.state().name().toLowerCase(Locale.ROOT);
  }

  private static void strings(ArrayNode a, Collection<String> values) {
    values.forEach(a::add);
  }

  private static void optional(ObjectNode n, String name, Optional<String> value) {
    value.ifPresent(v -> n.put(name, v));
  }
}
