package dev.handshake.server.cli;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.audit.tsa.TimestampVerification;
import dev.handshake.audit.tsa.TimestampVerifier;
import dev.handshake.audit.tsa.TsaTrust;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RFC 3161 tokens of an export's events, each verified offline against the given TSA roots:
 * sidecar tokens from a data folder's {@code audit-timestamps.db} and tokens embedded in
 * reference events' {@code trusted_timestamp}. Informational: it does not change whether {@code
 * audit verify} reports the chain valid.
 */
record TimestampReport(List<Line> lines) {

  /** One token: where it was found, and what its verification said. */
  record Line(int index, String eventHash, String origin, TimestampVerification result) {}

  /**
   * Checks every event of {@code events}.
   *
   * @param data a folder whose sidecar to read; a folder without one contributes nothing (and
   *     nothing is created)
   */
  static TimestampReport of(List<AuditEvent> events, TsaTrust trust, Optional<Path> data)
      throws IOException {
    TimestampVerifier verifier = TimestampVerifier.of(trust);
    List<Line> lines = new ArrayList<>();
    Optional<Path> sidecarDir =
        data.filter(d -> Files.isRegularFile(d.resolve(SqliteTimestampStore.FILE_NAME)));
    TimestampStore sidecar = sidecarDir.isPresent() ? SqliteTimestampStore.open(sidecarDir.get()) : null;
    try {
      for (int i = 0; i < events.size(); i++) {
        AuditEvent e = events.get(i);
        if (sidecar != null) {
          for (var stored : sidecar.forEvent(e.hash())) {
            lines.add(new Line(i, e.hash(), "sidecar", verifier.verifyStored(stored)));
          }
        }
        int index = i;
        verifier.verifyReference(e).ifPresent(r -> lines.add(new Line(index, e.hash(), "reference", r)));
      }
    } finally {
      if (sidecar != null) {
        sidecar.close();
      }
    }
    return new TimestampReport(List.copyOf(lines));
  }

  void print(PrintWriter out) {
    out.println("trusted timestamps:    " + (lines.isEmpty() ? "none" : lines.size()));
    for (Line l : lines) {
      String status =
          switch (l.result()) {
            case TimestampVerification.Verified v ->
                "verified  genTime " + v.timestamp().genTime() + "  " + v.timestamp().tsa();
            case TimestampVerification.Failed f -> "FAILED " + f.failure().label() + ": " + f.detail();
          };
      out.println(
          "  #" + l.index() + "  " + l.eventHash().substring(0, 16) + "  " + l.origin() + "  "
              + ExportCheck.printable(status, 400));
    }
    out.flush();
  }

  ArrayNode toJson() {
    ArrayNode array = Json.nodes().arrayNode();
    for (Line l : lines) {
      ObjectNode node = array.addObject();
      node.put("index", l.index());
      node.put("event_hash", l.eventHash());
      node.put("origin", l.origin());
      switch (l.result()) {
        case TimestampVerification.Verified v -> {
          node.put("verified", true);
          node.put("gen_time", v.timestamp().genTime().toString());
          node.put("tsa", v.timestamp().tsa());
          node.put("source", v.timestamp().source());
        }
        case TimestampVerification.Failed f -> {
          node.put("verified", false);
          node.put("failure", f.failure().label());
          node.put("detail", f.detail());
        }
      }
    }
    return array;
  }
}
