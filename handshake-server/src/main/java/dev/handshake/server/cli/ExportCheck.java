package dev.handshake.server.cli;

import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainHead;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.EventCheck;
import dev.handshake.audit.GenesisForm;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@code AISS-1.0-AUDIT} file read and verified: what {@code audit verify} prints and what
 * {@code audit import} decides on. Valid means the chain report is valid <em>and</em> the file's
 * {@code chain_integrity_hash} recomputes (the reference CLI only displays it).
 *
 * <p>The identity is read without requiring its binding, so an {@code agent_id} that does not
 * derive from the key is reported by the verifier ({@code agent_binding_valid=false}) instead of
 * stopping the run.
 *
 * @param profile {@code ours}, {@code foreign} or {@code reference} ({@link VerifyOptions})
 */
record ExportCheck(
    AuditExport export,
    IdentityDocument identity,
    String profile,
    ChainReport report,
    boolean chainHashValid) {
  static final List<String> PROFILES = List.of("ours", "foreign", "reference");

  boolean valid() {
    return report.valid() && chainHashValid;
  }

  /**
   * Reads and verifies {@code file}.
   *
   * @param profile the profile to verify with; by default {@code ours} for files our exporter wrote
   *     and {@code foreign} for everything else
   * @param head a signed head seen elsewhere, replacing the one the file carries
   * @throws AuditCommand.UnusableInputException when the file is not an audit export at all
   */
  static ExportCheck read(Path file, Optional<String> profile, Optional<ChainHead> head)
      throws IOException, AuditCommand.UnusableInputException {
    AuditExport export;
    try {
      export = AuditExport.parse(Files.readAllBytes(file));
    } catch (AuditExport.InvalidExportException e) {
      throw new AuditCommand.UnusableInputException(file + ": " + e.getMessage());
    }
    String chosen = profile.orElse(defaultProfile(export));
    VerifyOptions options = options(chosen);
    IdentityDocument identity;
    try {
      identity = IdentityDocument.parse(export.identityJson(), false, options.lenientBase64());
    } catch (IdentityDocument.InvalidIdentityException e) {
      throw new AuditCommand.UnusableInputException(
          file + ": agent_identity is unusable: " + e.getMessage());
    }
    ChainReport report =
        new ChainVerifier(options)
            .verify(export.events(), identity, head.isPresent() ? head : export.head());
    return new ExportCheck(export, identity, chosen, report, export.chainIntegrityHashMatches());
  }

  /** {@code ours} for files our exporter wrote, {@code foreign} for everyone else's. */
  static String defaultProfile(AuditExport export) {
    return export.exporter().startsWith("handshake/") ? "ours" : "foreign";
  }

  static VerifyOptions options(String profile) {
    return switch (profile) {
      case "ours" -> VerifyOptions.ours();
      case "foreign" -> VerifyOptions.foreign();
      case "reference" -> VerifyOptions.reference();
      default -> throw new IllegalArgumentException("unknown profile " + profile);
    };
  }

  /** Reads a signed head written by {@code audit head --out} (or {@link ChainHead#toJson()}). */
  static ChainHead readHead(Path file) throws IOException, AuditCommand.UnusableInputException {
    JsonNode json;
    try {
      json = CanonicalJson.parse(Files.readAllBytes(file));
    } catch (CanonicalJsonException e) {
      throw new AuditCommand.UnusableInputException(file + " is not JSON: " + e.getMessage());
    }
    return ChainHead.parse(json)
        .orElseThrow(() ->
            new AuditCommand.UnusableInputException(
                file + " is not a signed chain head (" + ChainHead.TYPE + ")"));
  }

  /** The verifier's full report plus {@code chain_integrity_hash_valid} and the profile used. */
  ObjectNode json() {
    ObjectNode json = report.toJson();
    json.put("chain_integrity_hash_valid", chainHashValid);
    json.put("profile", profile);
    return json;
  }

  /**
   * One line per event (index, event type, first 16 hex digits of its hash, then {@code ok} or
   * {@code FAIL:} and its problems), then a summary and, when invalid, every error.
   */
  void print(PrintWriter out) {
    printEvents(out, report);
    String agentId = identity.agentId();
    out.println("agent:                 " + printable(agentId, 64));
    out.println(
        "profile:               "
            + profile
            + " (exporter "
            + printable(export.exporter(), 64)
            + ")");
    out.println(
        "genesis:               "
            + Optional.ofNullable(report.genesisForms().get(agentId))
                .map(GenesisForm::label)
                .orElse("-"));
    out.println(
        "signed head:           "
            + report.headValid().map(v -> v ? "valid" : "INVALID").orElse("none"));
    out.println("chain_integrity_hash:  " + (chainHashValid ? "valid" : "MISMATCH"));
    if (valid()) {
      out.println("result:                VALID (" + report.events().size() + " events)");
    } else {
      out.println("result:                INVALID");
      for (String error : report.errors()) {
        out.println("  " + printable(error, 400));
      }
      if (!chainHashValid) {
        out.println("  chain_integrity_hash does not match the events (the file was edited)");
      }
    }
    out.flush();
  }

  /**
   * One line per event of {@code report}: index, event type, the first 16 hex digits of its hash,
   * then {@code ok} (with notes) or {@code FAIL:} and its problems. Shared by {@code verify} and
   * {@code verify-archive}.
   */
  static void printEvents(PrintWriter out, ChainReport report) {
    for (EventCheck e : report.events()) {
      String status =
          e.ok()
              ? "ok" + (e.notes().isEmpty() ? "" : " (" + String.join("; ", e.notes()) + ")")
              : "FAIL: " + String.join("; ", e.problems());
      out.println(
          "#"
              + e.index()
              + "  "
              + printable(e.eventType().isEmpty() ? "-" : e.eventType(), 40)
              + "  "
              + e.hash().substring(0, 16)
              + "  "
              + printable(status, 400));
    }
  }

  /**
   * {@code text} safe for a terminal: control and bidirectional characters (which a crafted file
   * could use to rewrite what the reader sees) escaped, and at most {@code max} characters.
   */
  static String printable(String text, int max) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(c -> {
          if (c < 0x20 || (c >= 0x7f && c < 0xa0) || isLayoutControl(c)) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        });
    if (out.length() <= max) {
      return out.toString();
    }
    int end = Character.isHighSurrogate(out.charAt(max - 1)) ? max - 1 : max;
    return out.substring(0, end) + "…";
  }

  /** Line separators and the bidirectional controls that reorder what a terminal shows. */
  private static boolean isLayoutControl(int c) {
    return c == 0x2028
        || c == 0x2029
        || (c >= 0x200e && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
