package dev.handshake.server.cli;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.delegation.CapabilitySignatures;
import dev.handshake.delegation.CapabilityTokens;
import dev.handshake.delegation.DelegationCapability;
import dev.handshake.delegation.DelegationEnvelope;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.MalformedPacketException;
import dev.handshake.delegation.PacketSignatures;
import dev.handshake.delegation.PublicKeyPem;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake delegate inspect FILE}: what a packet or envelope says and what can be seen
 * without a receiver's configuration — its fields, whether its signature verifies (ours: strict
 * Base64; the reference: lenient), whether {@code from_agent} is the id derived from its key, its
 * time window against now, the capability token decoded (its own signature only: no chain, anchor
 * or narrowing check) and the envelope's chain. It decides nothing: {@code delegate verify} does.
 * Exit 0 when the file could be read, 2 when not.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Show a hand-off packet's fields, signature, identity binding, time window and capability.")
final class DelegateInspectCommand implements Callable<Integer> {
  /** The default-profile issuance skew, for the "issued in the future" status. */
  private static final Duration SKEW = Duration.ofSeconds(30);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The packet or envelope (either wire form).")
  Path file;

  @Option(names = "--json", description = "Print the inspection as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    DelegationEnvelope envelope;
    try {
      envelope = DelegateCommand.readPacketFile(file);
    } catch (AuditCommand.UnusableInputException e) {
      return DelegateCommand.unusable(cmd, "inspect", e.getMessage());
    } catch (IOException e) {
      return DelegateCommand.unusable(cmd, "inspect", AuditCommand.explain(e));
    }
    ObjectNode report = report(envelope, CommandEnvironment.of(cmd).clock().instant());
    PrintWriter out = cmd.getOut();
    if (json) {
      out.print(Json.pretty(report));
    } else {
      print(out, envelope.packet(), report);
    }
    out.flush();
    return 0;
  }

  static ObjectNode report(DelegationEnvelope envelope, Instant now) {
    SignedTaskPacket p = envelope.packet();
    ObjectNode r = Json.object();
    r.set("packet", p.toJson());
    ArrayNode unknown = r.putArray("ignored_unknown_fields");
    p.unknownFields().forEach(unknown::add);

    ObjectNode sig = r.putObject("signature");
    boolean strict = PacketSignatures.verify(p, PacketSignatures.Decoding.STRICT, true);
    boolean lenient = PacketSignatures.verify(p, PacketSignatures.Decoding.LENIENT, false);
    sig.put("valid", strict);
    sig.put("valid_for_reference", lenient);
    sig.put(
        "status",
        strict
            ? "valid"
            : lenient
                ? "valid only for the reference (lenient Base64 or signature_algo)"
                : "INVALID");

    ObjectNode id = r.putObject("identity");
    Optional<Ed25519PublicKey> key = PublicKeyPem.parse(p.publicKey());
    id.put("public_key_is_ed25519", key.isPresent());
    key.ifPresentOrElse(
        k -> id.put("derived_agent_id", AgentIds.trustHandoff(k)),
        () -> id.putNull("derived_agent_id"));
    id.put(
        "from_agent_is_derived_id",
        key.map(k -> AgentIds.trustHandoff(k).equals(p.fromAgent())).orElse(false));

    r.set("time_window", window(p, now));
    r.set("capability", capability(p));
    if (envelope.chain().depth() > 1 || !envelope.chain().hops().isEmpty()) {
      r.set("chain", envelope.chain().toJson());
    }
    r.put("chain_depth", envelope.chain().depth());
    return r;
  }

  private static ObjectNode window(SignedTaskPacket p, Instant now) {
    ObjectNode w = Json.object();
    w.put("now", now.toString());
    Optional<Instant> issued = p.issuedAt().instant();
    Optional<Instant> expires = p.expiresAt().instant();
    if (issued.isEmpty() || expires.isEmpty()) {
      w.put("status", "naive datetime (no UTC offset): refused");
      return w;
    }
    Duration lifetime = Duration.between(issued.get(), expires.get());
    w.put("lifetime_seconds", lifetime.toSeconds());
    w.put("lifetime_above_default_cap", lifetime.compareTo(HandoffConfig.DEFAULT_MAX_LIFETIME) > 0);
    String status;
    if (issued.get().isAfter(expires.get())) {
      status = "malformed: issued after it expires";
    } else if (issued.get().minus(SKEW).isAfter(now)) {
      status =
          "not yet valid: issued " + human(Duration.between(now, issued.get())) + " in the future";
    } else if (expires.get().isBefore(now)) {
      status = "expired " + human(Duration.between(expires.get(), now)) + " ago";
    } else {
      status = "valid for " + human(Duration.between(now, expires.get())) + " more";
    }
    w.put("status", status);
    return w;
  }

  private static ObjectNode capability(SignedTaskPacket p) {
    ObjectNode c = Json.object();
    if (p.capabilityToken().isEmpty()) {
      c.put("present", false);
      return c;
    }
    c.put("present", true);
    try {
      DelegationCapability cap = CapabilityTokens.decode(p.capabilityToken().get());
      c.set("decoded", cap.toJson());
      c.put(
          "signature_valid",
          CapabilitySignatures.verify(cap, PacketSignatures.Decoding.STRICT, true));
      c.put(
          "note",
          "only the capability's own signature was checked: not its chain, anchor or narrowing");
    } catch (MalformedPacketException e) {
      c.put("error", e.getMessage());
    }
    return c;
  }

  private static void print(PrintWriter out, SignedTaskPacket p, ObjectNode r) {
    out.println("packet_id:      " + p.packetId());
    out.println("task_id:        " + p.taskId());
    out.println("from_agent:     " + p.fromAgent());
    out.println("to_agent:       " + p.toAgent());
    out.println("issued_at:      " + p.issuedAt().canonical());
    out.println("expires_at:     " + p.expiresAt().canonical());
    out.println("nonce:          " + p.nonce());
    out.println("intent:         " + Json.text(Json.nodes().stringNode(p.intent())));
    p.taskType().ifPresent(t -> out.println("task_type:      " + t));
    p.goal()
        .ifPresent(g -> out.println("goal:           " + Json.text(Json.nodes().stringNode(g))));
    out.println("permissions:    " + Json.text(p.permissions().toJson()));
    p.constraints().ifPresent(c -> out.println("constraints:    " + Json.text(c.toJson())));
    p.provenance().ifPresent(v -> out.println("provenance:     " + Json.text(v.toJson())));
    if (!p.memoryRefs().isEmpty()) {
      out.println("memory_refs:    " + String.join(", ", p.memoryRefs()));
    }
    out.println("context:        " + Json.text(p.context()));
    if (!p.unknownFields().isEmpty()) {
      out.println(
          "ignored fields: "
              + String.join(", ", p.unknownFields())
              + " (not signed, not forwarded)");
    }
    out.println(
        "signature:      "
            + r.path("signature").path("status").stringValue()
            + " ("
            + p.signatureAlgo()
            + ")");
    ObjectNode id = (ObjectNode) r.path("identity");
    String derived =
        id.path("derived_agent_id").isString() ? id.path("derived_agent_id").stringValue() : null;
    out.println(
        "identity:       "
            + (derived == null
                ? "public_key is not an Ed25519 PEM"
                : id.path("from_agent_is_derived_id").booleanValue()
                    ? "from_agent is the id derived from public_key"
                    : "from_agent is NOT the id derived from public_key ("
                        + derived
                        + "): needs a registry entry"));
    out.println(
        "time window:    "
            + r.path("time_window").path("status").stringValue()
            + (r.path("time_window").path("lifetime_above_default_cap").booleanValue()
                ? "; lifetime above 24h (default receivers: lifetime_exceeded)"
                : ""));
    ObjectNode cap = (ObjectNode) r.path("capability");
    if (!cap.path("present").booleanValue()) {
      out.println("capability:     none");
    } else if (cap.has("error")) {
      out.println("capability:     undecodable token: " + cap.path("error").stringValue());
    } else {
      var d = cap.path("decoded");
      out.println(
          "capability:     "
              + d.path("capability_id").stringValue()
              + ": "
              + d.path("issuer_agent").stringValue()
              + " -> "
              + d.path("subject_agent").stringValue()
              + " "
              + Json.text(d.path("delegated_permissions"))
              + ", "
              + d.path("issued_at").stringValue()
              + " .. "
              + d.path("expires_at").stringValue()
              + (d.path("parent_capability_id").isString()
                  ? ", parent " + d.path("parent_capability_id").stringValue()
                  : "")
              + "; signature "
              + (cap.path("signature_valid").booleanValue() ? "valid" : "INVALID")
              + " (chain not checked)");
    }
    if (r.has("chain")) {
      out.println(
          "chain:          depth "
              + r.path("chain_depth").intValue()
              + " "
              + Json.text(r.path("chain")));
    }
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    if (s < 172800) {
      return (s / 3600) + "h";
    }
    return (s / 86400) + "d";
  }
}
