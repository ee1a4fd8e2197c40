package dev.handshake.server.cli;

import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.delegation.TaskPacketBuilder;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.LoadedKey;
import dev.handshake.json.CanonicalJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake delegate sign --key KEYFILE --to AGENT_ID --intent TEXT --out FILE}: signs a
 * hand-off packet in the reference format (trusthandoff.md §2.2–§2.4) the way every receiver
 * verifies it — {@code from_agent} is the id derived from the key, the context sorted by key
 * recursively, {@code Z} datetimes, no floats — and writes its compact wire form.
 *
 * <p>Everything but the key is checked before the key file is read. Exit 0, or 2.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign a hand-off packet (reference format) and write it to a file.")
final class DelegateSignCommand implements Callable<Integer> {
  private static final Pattern SHORT_DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEYFILE",
      description = "The sender's key file (handshake id new, PiQrypt PQKY or plaintext).")
  Path keyFile;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "AGENT_ID",
      description = "The receiving agent's id (to_agent).")
  String to;

  @Option(
      names = "--intent",
      required = true,
      paramLabel = "TEXT",
      description = "What the receiver is asked to do.")
  String intent;

  @Option(
      names = "--actions",
      split = ",",
      paramLabel = "ACTION",
      description = "Allowed actions, comma-separated (permissions.allowed_actions; default none).")
  List<String> actions = new ArrayList<>();

  @Option(
      names = "--max-tool-calls",
      paramLabel = "N",
      description = "Tool-call limit (permissions.max_tool_calls; default unlimited).")
  @Nullable Long maxToolCalls;

  @Option(
      names = "--expires-in",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description =
          "Lifetime: 90s, 10m, 2h, 1d or ISO-8601 (PT10M); default ${DEFAULT-VALUE}."
              + " Default-profile receivers refuse more than 24h.")
  String expiresIn;

  @Option(
      names = "--context",
      paramLabel = "JSON",
      description = "Context object (no floats: carry decimals as strings); default {}.")
  @Nullable String context;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the packet.")
  Path out;

  @Option(names = "--force", description = "Replace --out if it exists (atomically).")
  boolean force;

  @Mixin PassphraseOptions passphrase = new PassphraseOptions();

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      Duration lifetime = duration(expiresIn);
      ObjectNode contextObject = contextObject();
      if (maxToolCalls != null && maxToolCalls < 0) {
        throw new AuditCommand.UnusableInputException("--max-tool-calls must not be negative");
      }
      if (to.isBlank() || intent.isEmpty()) {
        throw new AuditCommand.UnusableInputException("--to and --intent must not be empty");
      }
      LoadedKey loaded =
          KeyFiles.load(keyFile, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
      IdCommand.warnIfPlaintext(cmd.getErr(), keyFile, loaded.format());
      TaskPacketBuilder builder =
          TaskPacketBuilder.from(loaded.key())
              .to(to)
              .intent(intent)
              .actions(actions.stream().map(String::strip).filter(a -> !a.isEmpty()).toList())
              .context(contextObject)
              .expiresIn(lifetime);
      if (maxToolCalls != null) {
        builder.maxToolCalls(maxToolCalls);
      }
      SignedTaskPacket packet = builder.sign(CommandEnvironment.of(cmd).clock());
      AuditCommand.write(out, packet.toWire().getBytes(StandardCharsets.UTF_8), force);
      PrintWriter o = cmd.getOut();
      o.println(
          "signed "
              + packet.packetId()
              + ": "
              + packet.fromAgent()
              + " -> "
              + packet.toAgent()
              + ", expires "
              + packet.expiresAt().canonical());
      o.println("written to " + out);
      o.flush();
      if (lifetime.compareTo(HandoffConfig.DEFAULT_MAX_LIFETIME) > 0) {
        cmd.getErr()
            .println(
                "warning: a lifetime above 24h is refused by default-profile receivers (lifetime_exceeded)");
        cmd.getErr().flush();
      }
      return 0;
    } catch (AuditCommand.UnusableInputException e) {
      return DelegateCommand.unusable(cmd, "sign", e.getMessage());
    } catch (IOException e) {
      return DelegateCommand.unusable(cmd, "sign", AuditCommand.explain(e));
    } catch (IllegalArgumentException e) {
      return DelegateCommand.unusable(cmd, "sign", e.getMessage());
    } finally {
      passphrase.wipe();
    }
  }

  private ObjectNode contextObject() throws AuditCommand.UnusableInputException {
    if (context == null) {
      return dev.handshake.json.Json.object();
    }
    JsonNode parsed;
    try {
      parsed = CanonicalJson.parse(context);
    } catch (RuntimeException e) {
      throw new AuditCommand.UnusableInputException("--context is not JSON: " + e.getMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw new AuditCommand.UnusableInputException("--context must be a JSON object");
    }
    // checked now, before the key is read (the builder refuses floats too, but later)
    String floatAt = floatPath(object, "context");
    if (floatAt != null) {
      throw new AuditCommand.UnusableInputException(
          "--context: " + floatAt + " is a float; signed packets carry no floats (use a string)");
    }
    return object;
  }

  /** Where the first float in {@code value} is, or null. */
  private static @Nullable String floatPath(JsonNode value, String path) {
    if (value.isFloatingPointNumber()) {
      return path;
    }
    if (value.isObject()) {
      for (var member : value.properties()) {
        String found = floatPath(member.getValue(), path + "." + member.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        String found = floatPath(value.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10M}), positive. */
  static Duration duration(String text) throws AuditCommand.UnusableInputException {
    Matcher m = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw new AuditCommand.UnusableInputException(
            "--expires-in must look like 90s, 10m, 2h, 1d or PT10M, not " + text);
      }
    }
    if (!d.isPositive()) {
      throw new AuditCommand.UnusableInputException("--expires-in must be positive");
    }
    return d;
  }
}
