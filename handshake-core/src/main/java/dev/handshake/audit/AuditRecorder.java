package dev.handshake.audit;

import dev.handshake.json.CanonicalJson;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server's own identity recording decisions of other capabilities (pairing, relay,
 * delegation) as events of its own chain, logged through an {@link AuditLedger}; each kind can be
 * switched on or off. An event's payload is the caller's payload plus {@code "event_type"} (the AISS
 * event type) and {@code "kind"} (the capability, lower case), so the event is a signed receipt of the
 * decision, and its log index gives an inclusion proof.
 *
 * <pre>{@code
 * AuditRecorder recorder = new AuditRecorder(ledger, serverChain, EnumSet.allOf(Kind.class));
 * Optional<AuditEvent> receipt = recorder.record(Kind.DELEGATION, "grant_issued", payload);
 * }</pre>
 */
public final class AuditRecorder {
  /** The capabilities whose decisions can be recorded. */
  public enum Kind {
    PAIRING,
    RELAY,
    DELEGATION;

    /** The value of the payload's {@code "kind"} member. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final AuditLedger ledger;
  private final AgentChain serverChain;
  private final Set<Kind> enabled;

  public AuditRecorder(AuditLedger ledger, AgentChain serverChain, Set<Kind> enabled) {
    this.ledger = ledger;
    this.serverChain = serverChain;
    this.enabled = enabled.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(enabled);
  }

  public boolean enabled(Kind kind) {
    return enabled.contains(kind);
  }

  public AgentChain chain() {
    return serverChain;
  }

  public AuditLedger ledger() {
    return ledger;
  }

  /**
   * Records {@code eventType} of {@code kind} on the server's chain and in the log; empty when the
   * kind is switched off. {@code payload} is not modified.
   *
   * @throws IllegalArgumentException when the event type is blank, the payload already carries a
   *     different {@code kind} or {@code event_type}, or is outside the signable subset (no floats,
   *     integers within ±2^53)
   */
  public Optional<AuditEvent> record(Kind kind, String eventType, ObjectNode payload) {
    if (!enabled.contains(kind)) {
      return Optional.empty();
    }
    if (eventType.isBlank()) {
      throw new IllegalArgumentException("event type is blank");
    }
    ObjectNode body = payload.deepCopy();
    checkReserved(body, "kind", kind.wireName());
    checkReserved(body, "event_type", eventType);
    body.put("event_type", eventType);
    body.put("kind", kind.wireName());
    try {
      CanonicalJson.requireSignable(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("payload is not signable: " + e.getMessage(), e);
    }
    return Optional.of(ledger.record(serverChain, body));
  }

  private static void checkReserved(ObjectNode body, String name, String value) {
    if (body.has(name) && !value.equals(body.path(name).stringValue(null))) {
      throw new IllegalArgumentException("payload member '" + name + "' conflicts with " + value);
    }
  }
}
