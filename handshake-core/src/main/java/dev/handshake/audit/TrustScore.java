package dev.handshake.audit;

import dev.handshake.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The A2A trust score of aiss.md §2.8 (T = 0.25·S + 0.20·C + 0.25·X + 0.15·R + 0.15·A, tiers
 * Elite / A+ / A / B / At Risk), computed two ways (§3 item 11):
 *
 * <ul>
 *   <li>{@link #verified} — ours: S counts only signatures the verifier accepted, X counts only
 *       handshake events whose embedded peer signature verifies ({@link
 *       A2aHandshake#verifyCosignature}), forks and replays come from the per-agent report;
 *   <li>{@link #presenceBased} — the reference's formula, which counts the mere presence of
 *       {@code signature} and {@code peer_signature}; labelled "PiQrypt formula
 *       (presence-based)" wherever shown.
 * </ul>
 */
public record TrustScore(
    String agentId,
    double score,
    String tier,
    double signatureIntegrity,
    double chainStability,
    double crossAgentValidation,
    double replayResistance,
    double anomalyStability,
    int eventCount,
    int a2aInteractions,
    String method) {
  public static final String VERIFIED = "verified";
  public static final String PRESENCE = "PiQrypt formula (presence-based)";

  /** Ours: over the verifier's results for one agent's events. */
  public static TrustScore verified(String agentId, List<AuditEvent> events, ChainReport report) {
    int n = events.size();
    int validSignatures = (int) report.events().stream().filter(c -> c.signature().equals("valid")).count();
    int forkEvents = report.forksDetected().size();
    int duplicates = report.replayAttacks().size();
    int a2a = 0;
    int cosigned = 0;
    for (AuditEvent e : events) {
      if (isA2a(e)) {
        a2a++;
        try {
          A2aHandshake.verifyCosignature(e);
          cosigned++;
        } catch (HandshakeException notVerifiable) {
          // a reference event (no peer_message) or a bad co-signature: not counted
        }
      }
    }
    return of(agentId, n, n - validSignatures, forkEvents, duplicates, a2a, cosigned, VERIFIED);
  }

  /** The reference's presence-based formula, for comparison only. */
  public static TrustScore presenceBased(String agentId, List<AuditEvent> events) {
    int n = events.size();
    int missing = (int) events.stream().filter(e -> e.signature().isEmpty()).count();
    List<String> previous =
        events.stream().map(e -> e.previousHash().orElse("")).filter(p -> !p.isEmpty()).toList();
    int forkEvents = previous.size() - new HashSet<>(previous).size();
    List<String> nonces = events.stream().map(AuditEvent::nonce).toList();
    int duplicates = nonces.size() - new HashSet<>(nonces).size();
    int a2a = 0;
    int withPeer = 0;
    for (AuditEvent e : events) {
      if (isA2a(e)) {
        a2a++;
        if (Json.truthy(e.view().path("payload").path("peer_signature"))) {
          withPeer++;
        }
      }
    }
    return of(agentId, n, missing, forkEvents, duplicates, a2a, withPeer, PRESENCE);
  }

  private static final Set<String> A2A_TYPES = Set.of("a2a_handshake", "a2a_message");

  private static boolean isA2a(AuditEvent e) {
    return A2A_TYPES.contains(e.eventType());
  }

  private static TrustScore of(
      String agentId, int n, int badSignatures, int forkEvents, int duplicates, int a2a, int crossValidated,
      String method) {
    if (n == 0) {
      return new TrustScore(agentId, 1.0, "Elite", 1, 1, 1, 1, 1, 0, 0, method);
    }
    double s = (double) (n - badSignatures) / n;
    double c = 1 - (double) forkEvents / n;
    double x = a2a == 0 ? 1.0 : (double) crossValidated / a2a;
    double r = 1 - (double) duplicates / n;
    double a = Math.exp(-10.0 * (badSignatures + forkEvents + duplicates) / n);
    double t = 0.25 * s + 0.20 * c + 0.25 * x + 0.15 * r + 0.15 * a;
    t = Math.round(Math.min(1, Math.max(0, t)) * 10_000) / 10_000.0;
    return new TrustScore(agentId, t, tier(t), s, c, x, r, a, n, a2a, method);
  }

  static String tier(double t) {
    if (t > 0.95) {
      return "Elite";
    }
    if (t >= 0.90) {
      return "A+";
    }
    if (t >= 0.80) {
      return "A";
    }
    return t >= 0.70 ? "B" : "At Risk";
  }

  /** The reference's output keys, plus {@code method}. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("agent_id", agentId);
    node.put("trust_score", score);
    node.put("tier", tier);
    ObjectNode components = node.putObject("components");
    components.put("S_signature_integrity", signatureIntegrity);
    components.put("C_chain_stability", chainStability);
    components.put("X_cross_agent_validation", crossAgentValidation);
    components.put("R_replay_resistance", replayResistance);
    components.put("A_anomaly_stability", anomalyStability);
    node.put("event_count", eventCount);
    node.put("a2a_interactions", a2aInteractions);
    node.put("method", method);
    return node;
  }
}
