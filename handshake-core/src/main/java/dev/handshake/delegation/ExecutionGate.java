package dev.handshake.delegation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an accepted packet may run one action, and runs it (trusthandoff.md §2.9 with §3
 * items 5, 9 and 11). In order: the packet must carry a capability token ({@code
 * missing_capability_token}); its whole chain must verify ({@code capability_chain_invalid}); the
 * policy must allow the action under every capability of the chain — and without a policy the
 * strict default denies ({@code policy_denied}, reason {@code no_policy_provided}); the leaf must
 * allow the action and the executor's own tool-call count under (packet, leaf) must be below its
 * limit ({@code action_not_authorized}); then {@code execution_allowed} and the action runs.
 *
 * <p>Each step reports its event name to the {@link AuditHook}; a failing hook never changes a
 * decision.
 */
public final class ExecutionGate {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionGate.class);

  /** Decides whether an action is allowed under one capability; a reason when it is not. */
  @FunctionalInterface
  public interface ActionPolicy {
    Optional<String> deny(DelegationCapability capability, String action);
  }

  /** Receives the gate's events ({@code no_capabilities}, {@code policy_denied}, …). */
  @FunctionalInterface
  public interface AuditHook {
    AuditHook NONE = (event, details) -> {};

    void event(String name, Map<String, String> details);
  }

  /** What {@link #execute} did. */
  public sealed interface Outcome<T> {
    /** The action ran; {@code toolCallsUsed} counts this call. */
    record Ran<T>(T result, long toolCallsUsed) implements Outcome<T> {}

    /** The action did not run: the event name and, where the reference gives one, a reason. */
    record Denied<T>(String event, Optional<String> reason) implements Outcome<T> {}
  }

  public static final String MISSING_TOKEN = "missing_capability_token";
  public static final String NO_CAPABILITIES = "no_capabilities";
  public static final String CHAIN_INVALID = "capability_chain_invalid";
  public static final String POLICY_DENIED = "policy_denied";
  public static final String NOT_AUTHORIZED = "action_not_authorized";
  public static final String ALLOWED = "execution_allowed";
  public static final String NO_POLICY = "no_policy_provided";

  private final CapabilityAuthority authority;
  private final ToolCallCounter counter;
  private final Optional<ActionPolicy> policy;
  private final AuditHook hook;
  private final Clock clock;

  /**
   * @param policy empty means strict mode: every action is denied with {@code no_policy_provided}
   */
  public ExecutionGate(
      CapabilityAuthority authority,
      ToolCallCounter counter,
      Optional<ActionPolicy> policy,
      AuditHook hook,
      Clock clock) {
    this.authority = authority;
    this.counter = counter;
    this.policy = policy;
    this.hook = hook;
    this.clock = clock;
  }

  /** Runs {@code action} for an accepted {@code packet} when its capabilities allow it. */
  public <T> Outcome<T> execute(SignedTaskPacket packet, String action, Supplier<T> fn) {
    Map<String, String> details = Map.of("packet_id", packet.packetId(), "action", action);
    if (packet.capabilityToken().isEmpty()) {
      return denied(MISSING_TOKEN, Optional.empty(), details);
    }
    Optional<List<DelegationCapability>> chain = authority.verifiedChain(packet);
    if (chain.isEmpty()) {
      return denied(CHAIN_INVALID, Optional.empty(), details);
    }
    if (chain.get().isEmpty()) {
      return denied(NO_CAPABILITIES, Optional.empty(), details);
    }
    if (policy.isEmpty()) {
      return denied(POLICY_DENIED, Optional.of(NO_POLICY), details);
    }
    for (DelegationCapability cap : chain.get()) {
      Optional<String> reason = policy.get().deny(cap, action);
      if (reason.isPresent()) {
        return denied(POLICY_DENIED, reason, details);
      }
    }
    DelegationCapability leaf = chain.get().getLast();
    Instant now = clock.instant();
    String key = packet.packetId() + "\u0000" + leaf.capabilityId();
    boolean allowed =
        leaf.delegatedPermissions().allowedActions().contains(action)
            && counter.tryTake(
                key,
                leaf.delegatedPermissions().maxToolCalls(),
                leaf.expiresAt().instant().orElse(now),
                now);
    if (!allowed) {
      return denied(NOT_AUTHORIZED, Optional.empty(), details);
    }
    report(ALLOWED, details);
    return new Outcome.Ran<>(fn.get(), counter.used(key, now));
  }

  private <T> Outcome<T> denied(String event, Optional<String> reason, Map<String, String> details) {
    report(event, details);
    return new Outcome.Denied<>(event, reason);
  }

  private void report(String event, Map<String, String> details) {
    try {
      hook.event(event, details);
    } catch (RuntimeException e) {
      LOG.debug("audit hook failed on {}", event, e);
    }
  }
}
