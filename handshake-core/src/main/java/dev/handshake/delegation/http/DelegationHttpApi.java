package dev.handshake.delegation.http;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.delegation.AgentRegistry;
import dev.handshake.delegation.CapabilityGate;
import dev.handshake.delegation.Decision;
import dev.handshake.delegation.DelegationEnvelope;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffReceiver;
import dev.handshake.delegation.MalformedPacketException;
import dev.handshake.delegation.PacketSignatures;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.json.CanonicalJson;
import dev.handshake.session.HppResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The delegation endpoints, without a transport (adapters route {@link #handles} paths here), so
 * that agents in any language can use a receiver (trusthandoff.md §3) over HTTP:
 *
 * <table>
 * <caption>routes</caption>
 * <tr><td>{@code POST /delegation/verify?receiver=ID[&profile=reference][&reason_style=0.2.3]}</td>
 *     <td>body: a packet or an envelope (either wire form); 200 with the decision
 *     {@code {"packet_id","decision","reason"}}, ACCEPT or REJECT alike</td></tr>
 * <tr><td>{@code POST /delegation/decisions}</td>
 *     <td>body: {@code {"packet"|"envelope": …, "decision": {…}}}; 201 with the audit receipt
 *     {@code {"event_hash","log_index","proof_url"}}</td></tr>
 * </table>
 *
 * <p>A decision is not an HTTP error: REJECT is a 200 like ACCEPT. Errors are JSON: 400 for a bad
 * query or a body that is not what the route reads, 413 for a body over {@link #MAX_BODY_BYTES},
 * 405 for other methods, 422 for a reported packet whose signature does not verify, 503 when
 * receipts are asked of a server without an audit log.
 *
 * <p>All requests of the default profile share one {@link ReplayStore}, so a packet accepted once
 * is {@code Replay detected} on every later call, whichever connection or server thread it comes
 * through. {@code profile=reference} requests use a separate bounded memory (see {@code
 * EvictingReplayStore}). Calls may block on the replay store and the audit log: adapters run them
 * off their I/O threads.
 *
 * <pre>{@code
 * DelegationHttpApi api = DelegationHttpApi.create(HandoffConfig.defaults(), trust,
 *     new InMemoryReplayStore(), Optional.of(recorder), Clock.systemUTC());
 * HppResponse r = api.handle("POST", "/delegation/verify", "receiver=agent:IvdnMc5sjkwg9iHP", body);
 * }</pre>
 */
public final class DelegationHttpApi {
  public static final String ROOT = "/delegation";
  public static final String VERIFY = ROOT + "/verify";
  public static final String DECISIONS = ROOT + "/decisions";

  /**
   * Largest body read; a packet is a few kilobytes, an envelope with a long chain a little more.
   */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  /** The reference profile's replay memory (oldest forgotten first). */
  static final int REFERENCE_REPLAY_ENTRIES = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(DelegationHttpApi.class);

  private final HandoffConfig ours;
  private final DelegationTrust trust;
  private final AgentRegistry registry;
  private final CapabilityGate capabilities;
  private final ReplayStore replay;
  private final ReplayStore referenceReplay = new EvictingReplayStore(REFERENCE_REPLAY_ENTRIES);
  private final Optional<DelegationReceipts> receipts;
  private final Clock clock;

  private DelegationHttpApi(
      HandoffConfig ours,
      DelegationTrust trust,
      ReplayStore replay,
      Optional<AuditRecorder> recorder,
      Clock clock) {
    if (ours.profile() != HandoffConfig.Profile.OURS) {
      throw new IllegalArgumentException("the base config must be our profile");
    }
    this.ours = ours;
    this.trust = trust;
    this.registry = trust.agentRegistry();
    this.capabilities = trust.capabilityGate(clock);
    this.replay = replay;
    this.receipts = recorder.map(DelegationReceipts::new);
    this.clock = clock;
  }

  /**
   * @param ours the default profile's settings (e.g. {@link HandoffConfig#defaults()})
   * @param replay the one replay store of this server, shared by every request; its owner closes it
   * @param recorder the server's audit recorder, when it keeps an audit log
   */
  public static DelegationHttpApi create(
      HandoffConfig ours,
      DelegationTrust trust,
      ReplayStore replay,
      Optional<AuditRecorder> recorder,
      Clock clock) {
    return new DelegationHttpApi(ours, trust, replay, recorder, clock);
  }

  /** Whether {@code path} (decoded, without the query) belongs to these endpoints. */
  public boolean handles(String path) {
    return path.equals(ROOT) || path.startsWith(ROOT + "/");
  }

  /**
   * Answers one request.
   *
   * @param rawQuery the query string without {@code ?}, or null
   * @param body the request body; an adapter may stop reading after {@code MAX_BODY_BYTES + 1}
   */
  public HppResponse handle(String method, String path, @Nullable String rawQuery, byte[] body) {
    if (!path.equals(VERIFY) && !path.equals(DECISIONS)) {
      return noStore(HppResponse.error(404, "not found"));
    }
    if (!method.equals("POST")) {
      return noStore(HppResponse.error(405, "method not allowed").withHeader("Allow", "POST"));
    }
    if (body.length > MAX_BODY_BYTES) {
      return noStore(HppResponse.error(413, "request body too large"));
    }
    try {
      return noStore(path.equals(VERIFY) ? verify(rawQuery, body) : decisions(rawQuery, body));
    } catch (RuntimeException e) {
      // the replay store or the audit log failed; never the client's input
      LOG.warn("delegation endpoint {} failed", path, e);
      return noStore(HppResponse.error(503, "delegation service unavailable"));
    }
  }

  private HppResponse verify(@Nullable String rawQuery, byte[] body) {
    VerifyQuery query;
    try {
      query = VerifyQuery.parse(rawQuery);
    } catch (VerifyQuery.BadQuery e) {
      return HppResponse.error(400, e.getMessage());
    }
    HandoffConfig config =
        query.reference()
            ? HandoffConfig.reference(query.reasonStyle().orElse(HandoffConfig.ReasonStyle.V0_3_1))
            : query.reasonStyle().map(ours::withReasonStyle).orElse(ours);
    if (config.requireAudience() && query.receivers().isEmpty()) {
      return HppResponse.error(
          400, "receiver is required: ?receiver=<the receiving agent's id> (the audience check)");
    }
    Optional<String> text = utf8(body);
    if (text.isEmpty()) {
      return HppResponse.error(400, "request body is not UTF-8");
    }
    HandoffReceiver receiver =
        new HandoffReceiver(
            config,
            query.receivers(),
            registry,
            query.reference() ? referenceReplay : replay,
            capabilities,
            clock,
            query.reference() && trust.hasRegistry());
    Optional<DelegationEnvelope> envelope;
    try {
      envelope = Optional.of(DelegationEnvelope.parseEnvelopeOrPacket(text.get()));
    } catch (MalformedPacketException e) {
      envelope = Optional.empty();
    }
    // the receiver names the reason for input it cannot read, so unparsed text goes to it too
    Decision decision =
        envelope.isPresent() ? receiver.receive(envelope.get()) : receiver.receive(text.get());
    HppResponse response = HppResponse.json(200, decision.toJson());
    Optional<DelegationReceipts.Receipt> receipt = Optional.empty();
    if (receipts.isPresent()) {
      try {
        receipt =
            receipts
                .get()
                .verified(
                    decision, envelope.map(DelegationEnvelope::packet), body, query.reference());
      } catch (RuntimeException e) {
        // the decision stands (its replay record is already made); only the receipt is missing
        LOG.warn(
            "no audit receipt for delegation decision {}: {}", decision.verdict(), e.toString());
      }
    }
    if (receipt.isPresent()) {
      response = response.withHeader("X-Handshake-Audit-Event", receipt.get().eventHash());
      if (receipt.get().logIndex().isPresent()) {
        response =
            response.withHeader(
                "X-Handshake-Audit-Index", Long.toString(receipt.get().logIndex().getAsLong()));
      }
    }
    return response;
  }

  private HppResponse decisions(@Nullable String rawQuery, byte[] body) {
    if (rawQuery != null && !rawQuery.isEmpty()) {
      return HppResponse.error(400, "this endpoint takes no query parameters");
    }
    if (receipts.isEmpty()) {
      return HppResponse.error(503, "this server keeps no audit log: decisions cannot be recorded");
    }
    ReportedDecision reported;
    try {
      reported = ReportedDecision.read(utf8(body).orElse(null));
    } catch (ReportedDecision.BadReport e) {
      return HppResponse.error(400, e.getMessage());
    }
    SignedTaskPacket packet = reported.packet();
    if (!PacketSignatures.verify(packet, PacketSignatures.Decoding.STRICT, true)) {
      return HppResponse.error(
          422, "the packet's signature does not verify (Ed25519, strict Base64): no receipt");
    }
    Optional<DelegationReceipts.Receipt> receipt;
    try {
      receipt = receipts.get().reported(packet, reported.verdict(), reported.reason());
    } catch (IllegalArgumentException e) {
      return HppResponse.error(400, "the packet cannot be recorded: " + e.getMessage());
    }
    if (receipt.isEmpty()) {
      return HppResponse.error(503, "delegation receipts are switched off on this server");
    }
    return HppResponse.json(201, receipt.get().toJson())
        .withHeader("Location", receipt.get().proofUrl());
  }

  private static Optional<String> utf8(byte[] body) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Parses wire text the way a receiver does (key order and number text preserved). */
  static JsonNode parseWire(String text) {
    return CanonicalJson.parseKeepingFloatText(text, DelegationEnvelope.MAX_DEPTH);
  }

  private static HppResponse noStore(HppResponse r) {
    return r.withHeader("Cache-Control", "no-store");
  }
}
