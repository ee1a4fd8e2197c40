package dev.handshake.pairing;

import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Carries pairing state over from the references (pairing.md §3.2 rule 9, §4 item 20): PraisonAI's
 * {@code pairing.json} and OpenClaw's {@code <channel>-pairing.json} and {@code
 * <channel>-<account>-allowFrom.json} files. Grants become grants; pending requests with a
 * plaintext code (OpenClaw's, PraisonAI's legacy {@code code}) become live requests whose code is
 * hashed and not kept. A PraisonAI entry that holds only {@code code_hash} cannot be carried over
 * (the code cannot be recovered, and such entries name no sender): it is reported, and the sender
 * asks again. Requests already past our lifetime are reported as expired.
 */
public final class PairingImport {
  /** Largest file read. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
  private static final Pattern PAIRING_FILE = Pattern.compile("(.+)-pairing\\.json");
  private static final Pattern ALLOW_FILE = Pattern.compile("(.+?)(?:-(.+))?-allowFrom\\.json");

  private PairingImport() {}

  /** What an import did, and what it left behind and why. */
  public record Report(int grants, int requests, List<String> skipped) {
    public Report {
      skipped = List.copyOf(skipped);
    }
  }

  /** Imports PraisonAI's {@code ~/.praisonai/gateway/pairing.json}. */
  public static Report praisonai(Path pairingJson, PairingStore store) throws IOException {
    JsonNode root = read(pairingJson);
    String actor = "import:praisonai";
    int grants = 0;
    int requests = 0;
    List<String> skipped = new ArrayList<>();
    for (JsonNode p : root.path("paired")) {
      Optional<String> channel = text(p, "channel_type");
      Optional<String> id = text(p, "channel_id");
      if (channel.isEmpty() || id.isEmpty()) {
        skipped.add("paired entry without channel_type or channel_id");
        continue;
      }
      Instant at = epochSeconds(p.path("paired_at")).orElse(Instant.EPOCH);
      if (store.importGrant(Requester.of(channel.get(), id.get()), at, actor).isPresent()) {
        grants++;
      } else {
        skipped.add(channel.get() + ":" + id.get() + " is already paired");
      }
    }
    for (JsonNode p : root.path("pending")) {
      Optional<String> channel = text(p, "channel_type");
      Optional<String> id = text(p, "channel_id");
      Optional<String> code = text(p, "code");
      if (code.isEmpty()) {
        skipped.add("a pending " + channel.orElse("?") + " request holds only a code hash;"
            + " its code cannot be carried over (the sender must ask again)");
        continue;
      }
      if (channel.isEmpty() || id.isEmpty()) {
        skipped.add("a pending request names no sender (channel_id); it cannot be bound");
        continue;
      }
      Instant created = epochSeconds(p.path("created_at")).orElse(Instant.EPOCH);
      requests += pending(store, Requester.of(channel.get(), id.get()), Map.of(), code.get(),
          created, actor, skipped);
    }
    return new Report(grants, requests, skipped);
  }

  /** Imports every {@code *-pairing.json} and {@code *-allowFrom.json} in OpenClaw's credentials folder. */
  public static Report openclaw(Path credentialsDir, PairingStore store) throws IOException {
    String actor = "import:openclaw";
    int grants = 0;
    int requests = 0;
    List<String> skipped = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(credentialsDir, "*.json")) {
      dir.forEach(files::add);
    }
    files.sort(null);
    for (Path file : files) {
      String name = file.getFileName().toString();
      Matcher pairing = PAIRING_FILE.matcher(name);
      Matcher allow = ALLOW_FILE.matcher(name);
      if (allow.matches()) {
        String channel = allow.group(1);
        String account = allow.group(2) == null ? Requester.DEFAULT_ACCOUNT : allow.group(2);
        for (JsonNode sender : read(file).path("allowFrom")) {
          if (!sender.isString() || sender.stringValue().isBlank() || sender.stringValue().equals("*")) {
            skipped.add(name + ": entry " + sender + " is not a sender id");
            continue;
          }
          Requester r = new Requester(channel, account, sender.stringValue());
          if (store.importGrant(r, Instant.EPOCH, actor).isPresent()) {
            grants++;
          } else {
            skipped.add(r + " is already paired");
          }
        }
      } else if (pairing.matches()) {
        String channel = pairing.group(1);
        for (JsonNode req : read(file).path("requests")) {
          Optional<String> id = text(req, "id");
          Optional<String> code = text(req, "code");
          if (id.isEmpty() || code.isEmpty()) {
            skipped.add(name + ": a request without id or code");
            continue;
          }
          JsonNode meta = req.path("meta");
          String account = text(meta, "accountId").orElse(Requester.DEFAULT_ACCOUNT);
          Map<String, String> display = new LinkedHashMap<>();
          for (var e : meta.properties()) {
            if (e.getValue().isString() && !e.getKey().equals("accountId") && display.size() < 8
                && e.getKey().length() <= 64) {
              String v = e.getValue().stringValue();
              display.put(e.getKey(), v.length() > 256 ? v.substring(0, 256) : v);
            }
          }
          Instant created = instant(req.path("createdAt")).orElse(Instant.EPOCH);
          requests += pending(store, new Requester(channel, account, id.get()), display,
              code.get(), created, actor, skipped);
        }
      }
    }
    return new Report(grants, requests, skipped);
  }

  private static int pending(PairingStore store, Requester who, Map<String, String> display,
      String plainCode, Instant created, String actor, List<String> skipped) {
    Optional<PairingCode> code = PairingCode.parse(plainCode, store.config().alphabet());
    if (code.isEmpty()) {
      skipped.add(who + ": its code is not a valid pairing code");
      return 0;
    }
    if (store.importRequest(who, display, code.get(), created, actor).isPresent()) {
      return 1;
    }
    skipped.add(who + ": the request expired, is paired or already pending");
    return 0;
  }

  private static JsonNode read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    try {
      JsonNode n = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (!n.isObject()) {
        throw new IOException(file + " is not a JSON object");
      }
      return n;
    } catch (RuntimeException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (v.isString() && !v.stringValue().isBlank()) {
      return Optional.of(v.stringValue());
    }
    if (v.isIntegralNumber()) {
      return Optional.of(v.asString());
    }
    return Optional.empty();
  }

  private static Optional<Instant> epochSeconds(JsonNode v) {
    return v.isNumber() ? Optional.of(Instant.ofEpochMilli((long) (v.doubleValue() * 1000))) : Optional.empty();
  }

  /** OpenClaw times: epoch milliseconds or ISO-8601 text (unconfirmed which; both are read). */
  private static Optional<Instant> instant(JsonNode v) {
    if (v.isNumber()) {
      return Optional.of(Instant.ofEpochMilli(v.longValue()));
    }
    if (v.isString()) {
      try {
        return Optional.of(Instant.parse(v.stringValue()));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
