package dev.handshake.delegation;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Receives hand-offs and decides ACCEPT or REJECT, never throwing for bad input.
 *
 * <p>Our pipeline (trusthandoff.md §3, first failure wins): shape → signature (strict Base64,
 * {@code Ed25519} only) → time window → identity policy → audience → chain (depth, consistency,
 * loops, hop narrowing) → capabilities → replay, checked and recorded atomically as the last step,
 * so a rejected or forged packet never burns a nonce → ACCEPT {@code Packet verified and valid}.
 *
 * <p>The {@link HandoffConfig.Profile#REFERENCE reference} profile runs the reference's order
 * instead: registry checks and its replay guard (with a registry), the process-global nonce set
 * (recorded before anything is verified), depth, lenient signature, time — so it reproduces the
 * reference's decisions, defects included, except that its exceptions become REJECTs.
 *
 * <pre>{@code
 * HandoffReceiver receiver = new HandoffReceiver(HandoffConfig.defaults(), Set.of(myAgentId),
 *     registry, SqliteReplayStore.open(dir), gate, Clock.systemUTC());
 * Decision d = receiver.receive(envelopeJsonText);
 * }</pre>
 */
public final class HandoffReceiver {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HandoffReceiver.class);
  /**
   * How long past a packet's expiry the reference profile remembers its nonce. The reference
   * remembers for ever (in memory); a bounded store cannot, and after expiry plus this margin the
   * packet is refused by its time window anyway (with that reason instead of {@code Replay
   * detected}).
   */
  private static final java.time.Duration REFERENCE_MARGIN = java.time.Duration.ofDays(1);
  /** The reference registry path's ReplayGuard TTL. */
  private static final java.time.Duration GUARD_TTL = java.time.Duration.ofSeconds(600);
  private static final String GLOBAL = "";
  private static final String GUARD = "\u0000guard:";

  private final HandoffConfig config;
  private final Set<String> receiverIds;
  private final AgentRegistry registry;
  private final ReplayStore replay;
  private final CapabilityGate capabilities;
  private final Clock clock;
  private final boolean useRegistry;
  private volatile DecisionCollector collector = DecisionCollector.NONE;

  /**
   * @param receiverIds the ids this receiver answers to (audience); may be empty only when the
   *     config does not require an audience
   * @param useRegistry whether the registry takes part (the reference checks it only in its
   *     registry mode; ours always consults it under the registry policies)
   */
  public HandoffReceiver(
      HandoffConfig config,
      Set<String> receiverIds,
      AgentRegistry registry,
      ReplayStore replay,
      CapabilityGate capabilities,
      Clock clock,
      boolean useRegistry) {
    if (config.requireAudience() && receiverIds.isEmpty()) {
      throw new IllegalArgumentException("an audience check needs at least one receiver id");
    }
    this.config = config;
    this.receiverIds = Set.copyOf(receiverIds);
    this.registry = registry;
    this.replay = replay;
    this.capabilities = capabilities;
    this.clock = clock;
    this.useRegistry = useRegistry;
  }

  public HandoffConfig config() {
    return config;
  }

  /**
   * Installs the collector told about every decision ({@code handoff_accepted}, {@code
   * handoff_rejected_invalid_signature}, {@code handoff_rejected_invalid_packet}); its failures
   * are logged and never change a decision.
   */
  public void collect(DecisionCollector newCollector) {
    this.collector = newCollector;
  }

  /** The result of {@link #execute}: the decision, and the task's result when it ran. */
  public record Execution<T>(Decision decision, Optional<T> result) {}

  /**
   * The reference executor: decides, and on ACCEPT runs {@code task} and answers ACCEPT {@code
   * Task executed}; a REJECT never runs it.
   */
  public <T> Execution<T> execute(String json, java.util.function.Supplier<T> task) {
    Decision d = receive(json);
    if (!d.accepted()) {
      return new Execution<>(d, Optional.empty());
    }
    return new Execution<>(Decision.accept(d.packetId(), Reasons.EXECUTED), Optional.of(task.get()));
  }

  /** Decides an envelope or a bare packet given as JSON text. */
  public Decision receive(String json) {
    DelegationEnvelope envelope;
    try {
      envelope = DelegationEnvelope.parseEnvelopeOrPacket(json);
    } catch (MalformedPacketException e) {
      return collected(Decision.reject(packetIdOf(json), malformedReason(e)));
    }
    return receive(envelope);
  }

  /** Key and signature problems read as {@code Invalid signature}, like every other bad signature. */
  private static String malformedReason(MalformedPacketException e) {
    String m = e.getMessage();
    return m != null && (m.startsWith("public_key") || m.startsWith("signature"))
        ? Reasons.INVALID_SIGNATURE
        : Reasons.MALFORMED_PACKET;
  }

  private static String packetIdOf(String json) {
    try {
      JsonNode node = dev.handshake.json.CanonicalJson.parse(json, DelegationEnvelope.MAX_DEPTH);
      JsonNode id = node.has("packet") ? node.path("packet").path("packet_id") : node.path("packet_id");
      return id.isString() ? id.stringValue() : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * Decides one envelope. A replay store that cannot be read or written fails closed: REJECT
   * {@value Reasons#REPLAY_STORE_UNAVAILABLE}, never an exception.
   */
  public Decision receive(DelegationEnvelope envelope) {
    Instant now = clock.instant();
    SignedTaskPacket p = envelope.packet();
    Optional<String> reject;
    try {
      reject =
          config.profile() == HandoffConfig.Profile.OURS
              ? ours(envelope, now)
              : reference(envelope, now);
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      LOG.warn("replay store unavailable, rejecting the packet: {}", e.getMessage());
      reject = Optional.of(Reasons.REPLAY_STORE_UNAVAILABLE);
    }
    return collected(
        reject.map(r -> Decision.reject(p.packetId(), r))
            .orElseGet(() -> Decision.accept(p.packetId(), Reasons.ACCEPTED)));
  }

  private Decision collected(Decision d) {
    String event =
        d.accepted()
            ? DecisionCollector.ACCEPTED
            : d.reason().filter(Reasons.INVALID_SIGNATURE::equals).isPresent()
                ? DecisionCollector.INVALID_SIGNATURE
                : DecisionCollector.INVALID_PACKET;
    try {
      collector.decided(event, d);
    } catch (RuntimeException e) {
      LOG.debug("decision collector failed on {}", event, e);
    }
    return d;
  }

  private Optional<String> ours(DelegationEnvelope envelope, Instant now) {
    SignedTaskPacket p = envelope.packet();
    if (config.rejectUnknownFields() && !p.unknownFields().isEmpty()) {
      return Optional.of(Reasons.INVALID_SIGNATURE);
    }
    if (!PacketSignatures.verify(p, PacketSignatures.Decoding.STRICT, true)) {
      return Optional.of(Reasons.INVALID_SIGNATURE);
    }
    Optional<String> reason = TimeWindow.check(p, config, now);
    if (reason.isEmpty()) {
      reason = identity(p);
    }
    if (reason.isEmpty() && config.requireAudience() && !receiverIds.contains(p.toAgent())) {
      reason = Optional.of(Reasons.AUDIENCE_MISMATCH);
    }
    if (reason.isEmpty()) {
      reason = chain(envelope);
    }
    if (reason.isEmpty()) {
      reason = capabilities.check(p, now);
    }
    if (reason.isPresent()) {
      return reason;
    }
    Instant retain = p.expiresAt().instant().orElseThrow().plus(config.issuanceSkew())
        .plus(config.expiryGrace());
    return switch (replay.checkAndRecord(p.fromAgent(), p.nonce(), retain, now)) {
      case FIRST -> Optional.empty();
      case REPLAY -> Optional.of(Reasons.REPLAY);
      case FULL -> Optional.of(Reasons.REPLAY_STORE_FULL);
    };
  }

  private Optional<String> identity(SignedTaskPacket p) {
    if (config.identityPolicy() == HandoffConfig.IdentityPolicy.SELF_ASSERTED) {
      return Optional.empty();
    }
    if (registry.isRevoked(p.fromAgent())) {
      return Optional.of(Reasons.AGENT_REVOKED);
    }
    Optional<String> registered = registry.resolve(p.fromAgent());
    if (registered.isPresent()) {
      return registered.get().equals(p.publicKey())
          ? Optional.empty()
          : Optional.of(Reasons.BINDING_FAILED);
    }
    if (config.identityPolicy() == HandoffConfig.IdentityPolicy.REGISTRY) {
      return Optional.of(Reasons.UNKNOWN_AGENT);
    }
    boolean derived = PublicKeyPem.derivedId(p.publicKey()).filter(p.fromAgent()::equals).isPresent();
    return derived ? Optional.empty() : Optional.of(Reasons.BINDING_FAILED);
  }

  private Optional<String> chain(DelegationEnvelope envelope) {
    DelegationChain chain = envelope.chain();
    SignedTaskPacket p = envelope.packet();
    if (chain.depth() > config.maxDepth()) {
      return Optional.of(Reasons.DEPTH_EXCEEDED);
    }
    if (!chain.packetIds().contains(p.packetId()) || !chain.agents().contains(p.fromAgent())) {
      return Optional.of(Reasons.INVALID_CHAIN);
    }
    if (config.rejectLoops() && chain.agents().contains(p.toAgent())) {
      return Optional.of(Reasons.INVALID_CHAIN);
    }
    boolean narrows =
        Attenuation.of(config.legacyNullUnlimited())
            .hops(chain.hops().stream().map(DelegationHop::delegatedPermissions).toList())
            .isEmpty();
    return narrows ? Optional.empty() : Optional.of(Reasons.INVALID_CHAIN);
  }

  private Optional<String> reference(DelegationEnvelope envelope, Instant now) {
    SignedTaskPacket p = envelope.packet();
    if (useRegistry) {
      if (registry.isRevoked(p.fromAgent())) {
        return Optional.of(Reasons.AGENT_REVOKED);
      }
      Optional<String> registered = registry.resolve(p.fromAgent());
      if (registered.isEmpty()) {
        return Optional.of(Reasons.UNKNOWN_AGENT);
      }
      if (!registered.get().equals(p.publicKey())) {
        return Optional.of(Reasons.BINDING_FAILED);
      }
      if (replay.checkAndRecord(GUARD + p.fromAgent(), p.nonce(), now.plus(GUARD_TTL), now)
          != ReplayStore.Outcome.FIRST) {
        return Optional.of(Reasons.REPLAY_REGISTRY);
      }
    }
    Instant until =
        p.expiresAt().instant().filter(e -> e.isAfter(now)).orElse(now).plus(REFERENCE_MARGIN);
    if (replay.checkAndRecord(GLOBAL, p.nonce(), until, now) != ReplayStore.Outcome.FIRST) {
      return Optional.of(Reasons.REPLAY);
    }
    if (envelope.chain().depth() > config.maxDepth()) {
      return Optional.of(Reasons.DEPTH_EXCEEDED);
    }
    if (!PacketSignatures.verify(p, PacketSignatures.Decoding.LENIENT, false)) {
      return Optional.of(Reasons.INVALID_SIGNATURE);
    }
    return TimeWindow.check(p, config, now);
  }

  /**
   * The reference's {@code process_handoff}: signature, then time, nothing else (no replay, no
   * identity, no audience) — for comparison with reference results.
   */
  public Decision processHandoff(SignedTaskPacket p) {
    boolean strict = config.profile() == HandoffConfig.Profile.OURS;
    if (!PacketSignatures.verify(
        p, strict ? PacketSignatures.Decoding.STRICT : PacketSignatures.Decoding.LENIENT, strict)) {
      return Decision.reject(p.packetId(), Reasons.INVALID_SIGNATURE);
    }
    return TimeWindow.check(p, config, clock.instant())
        .map(r -> Decision.reject(p.packetId(), r))
        .orElseGet(() -> Decision.accept(p.packetId(), Reasons.ACCEPTED));
  }
}
