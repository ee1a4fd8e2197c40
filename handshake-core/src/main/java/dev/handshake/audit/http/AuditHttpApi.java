package dev.handshake.audit.http;

import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.log.MerkleHashes;
import dev.handshake.crypto.Base64Text;
import dev.handshake.json.Json;
import dev.handshake.session.HppResponse;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read-only audit endpoints, without a transport (adapters route {@link #handles} paths here):
 *
 * <table>
 * <caption>routes</caption>
 * <tr><td>{@code GET /v1/audit/checkpoint}</td><td>the signed checkpoint (text/plain)</td></tr>
 * <tr><td>{@code GET /v1/audit/log-key}</td><td>the log's verifier key (text/plain)</td></tr>
 * <tr><td>{@code GET /v1/audit/proof/inclusion?index=N}</td><td>{@code tlog-proof} bundle</td></tr>
 * <tr><td>{@code GET /v1/audit/proof/event/{event_hash}}</td><td>the same, by event hash</td></tr>
 * <tr><td>{@code GET /v1/audit/proof/consistency?from=M}</td><td>consistency bundle</td></tr>
 * <tr><td>{@code GET /v1/audit/entries/{index}}</td><td>one entry as JSON</td></tr>
 * </table>
 *
 * Bad input is a JSON 400, unknown paths and entries a JSON 404, other methods a JSON 405; nothing
 * here answers 500 for a client's mistake.
 */
public final class AuditHttpApi {
  public static final String ROOT = "/v1/audit";
  private static final Logger LOG = LoggerFactory.getLogger(AuditHttpApi.class);
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final Pattern EVENT_HASH = Pattern.compile("[0-9a-f]{64}");
  private static final String INCLUSION = ROOT + "/proof/inclusion";
  private static final String CONSISTENCY = ROOT + "/proof/consistency";
  private static final String BY_EVENT = ROOT + "/proof/event/";
  private static final String ENTRIES = ROOT + "/entries/";

  private final AuditLedger ledger;

  public AuditHttpApi(AuditLedger ledger) {
    this.ledger = ledger;
  }

  /** Whether {@code path} (decoded, without the query) belongs to these endpoints. */
  public boolean handles(String path) {
    return path.equals(ROOT) || path.startsWith(ROOT + "/");
  }

  /**
   * Answers one request.
   *
   * @param rawQuery the query string without {@code ?}, or null
   */
  public HppResponse handle(String method, String path, @Nullable String rawQuery) {
    if (!handles(path)) {
      return noStore(HppResponse.error(404, "not found"));
    }
    if (!isKnown(path)) {
      return noStore(HppResponse.error(404, "not found"));
    }
    if (!method.equals("GET")) {
      return noStore(HppResponse.error(405, "method not allowed").withHeader("Allow", "GET"));
    }
    try {
      return noStore(route(path, rawQuery));
    } catch (RuntimeException e) {
      LOG.warn("audit endpoint {} failed", path, e);
      return noStore(HppResponse.error(503, "audit log unavailable"));
    }
  }

  private static boolean isKnown(String path) {
    return switch (path) {
      case ROOT + "/checkpoint", ROOT + "/log-key", INCLUSION, CONSISTENCY -> true;
      default ->
          (path.startsWith(BY_EVENT) && path.length() > BY_EVENT.length())
              || (path.startsWith(ENTRIES) && path.length() > ENTRIES.length());
    };
  }

  private HppResponse route(String path, @Nullable String rawQuery) {
    switch (path) {
      case ROOT + "/checkpoint":
        return HppResponse.text(200, ledger.checkpoint().format());
      case ROOT + "/log-key":
        return HppResponse.text(200, ledger.verifierKey().text() + "\n");
      case INCLUSION:
        {
          Optional<Long> index = number(rawQuery, "index");
          if (index.isEmpty()) {
            return HppResponse.error(400, "index must be a non-negative decimal integer");
          }
          return inclusion(index.get());
        }
      case CONSISTENCY:
        {
          Optional<Long> from = number(rawQuery, "from");
          if (from.isEmpty()) {
            return HppResponse.error(400, "from must be a non-negative decimal integer");
          }
          long size = ledger.size();
          if (from.get() > size) {
            return HppResponse.error(400, "from " + from.get() + " is larger than the log (" + size + ")");
          }
          try {
            return HppResponse.text(200, ledger.consistencyBundle(from.get()));
          } catch (IndexOutOfBoundsException e) {
            return HppResponse.error(400, "from is outside the log");
          }
        }
      default:
        break;
    }
    if (path.startsWith(BY_EVENT)) {
      String hash = path.substring(BY_EVENT.length());
      if (!EVENT_HASH.matcher(hash).matches()) {
        return HppResponse.error(400, "event hash must be 64 lower-case hex digits");
      }
      OptionalLong index = ledger.indexOf(hash);
      if (index.isEmpty()) {
        return HppResponse.error(404, "event not in the log index");
      }
      return inclusion(index.getAsLong());
    }
    String text = path.substring(ENTRIES.length());
    if (!DECIMAL.matcher(text).matches()) {
      return HppResponse.error(400, "index must be a non-negative decimal integer");
    }
    long index = Long.parseLong(text);
    if (index >= ledger.size()) {
      return HppResponse.error(404, "no entry " + index);
    }
    byte[] entry = ledger.entry(index);
    ObjectNode body = Json.object();
    body.put("index", index);
    body.put("leaf_hash", MerkleHashes.leafHash(entry).hex());
    body.put("entry_base64", Base64Text.encode(entry));
    Json.tryParse(entry).ifPresent(json -> body.set("entry", json));
    return HppResponse.json(200, body);
  }

  private HppResponse inclusion(long index) {
    try {
      return HppResponse.text(200, ledger.inclusionBundle(index));
    } catch (IndexOutOfBoundsException e) {
      return HppResponse.error(404, "no entry " + index + " in the latest checkpoint");
    }
  }

  /** The single value of {@code name} in the query, when it is a canonical decimal. */
  private static Optional<Long> number(@Nullable String rawQuery, String name) {
    if (rawQuery == null) {
      return Optional.empty();
    }
    String found = null;
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        if (found != null) {
          return Optional.empty();
        }
        found = eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    if (found == null || !DECIMAL.matcher(found).matches()) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(found));
  }

  private static HppResponse noStore(HppResponse r) {
    return r.withHeader("Cache-Control", "no-store");
  }
}
