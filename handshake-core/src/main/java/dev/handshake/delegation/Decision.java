package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A receiver's answer to a hand-off: ACCEPT or REJECT with the reason (trusthandoff.md §2.5), as
 * the reference's decision object {@code {"packet_id","decision","reason"}}.
 *
 * @param reason one of {@link Reasons}; empty only where the reference answers {@code null}
 */
public record Decision(String packetId, Verdict verdict, Optional<String> reason) {
  /** The two outcomes, spelled as on the wire. */
  public enum Verdict {
    ACCEPT,
    REJECT
  }

  public static Decision accept(String packetId, String reason) {
    return new Decision(packetId, Verdict.ACCEPT, Optional.of(reason));
  }

  public static Decision reject(String packetId, String reason) {
    return new Decision(packetId, Verdict.REJECT, Optional.of(reason));
  }

  public boolean accepted() {
    return verdict == Verdict.ACCEPT;
  }

  /** The reference's JSON shape. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("packet_id", packetId);
    n.put("decision", verdict.name());
    reason.ifPresentOrElse(r -> n.put("reason", r), () -> n.putNull("reason"));
    return n;
  }
}
