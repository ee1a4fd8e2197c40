package dev.handshake.server.cli;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.audit.tsa.TimestampVerification;
import dev.handshake.audit.tsa.TrustedTimestamp;
import dev.handshake.audit.tsa.TsaClient;
import dev.handshake.audit.tsa.TsaConfig;
import dev.handshake.audit.tsa.TsaTrust;
import dev.handshake.server.SharedState;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code handshake audit timestamp --tsa URL --tsa-root PEM [--event HASH | --head]}: anchors one
 * stored event's hash with an RFC 3161 TSA and keeps the verified token in the sidecar {@code
 * audit-timestamps.db} beside {@code audit.db} (aiss.md §3 item 9). The event itself is never
 * changed (§4 item 26). Exit 0 stored; 1 no verified token (TSA unreachable, timed out, refused,
 * or its answer failed a check; nothing stored); 2 unusable input.
 */
@Command(
    name = "timestamp",
    mixinStandardHelpOptions = true,
    description =
        "Anchor a stored event with an RFC 3161 time-stamping authority; the verified token is"
            + " kept beside the chain (audit-timestamps.db), never inside the event.")
final class AuditTimestampCommand implements Callable<Integer> {
  private static final Pattern EVENT_HASH = Pattern.compile("[0-9a-f]{64}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      defaultValue = AuditCommand.DEFAULT_DATA,
      paramLabel = "DIR",
      description = "Folder of the audit store (audit.db; default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin AuditDbOption db = new AuditDbOption();

  @Option(names = "--tsa", required = true, paramLabel = "URL", description = "The TSA's http(s) URL.")
  String tsaUrl;

  @Option(
      names = "--tsa-root",
      required = true,
      paramLabel = "PEM",
      description = "Certificate(s) the TSA must chain to (its CA, PEM or DER).")
  Path tsaRoot;

  @ArgGroup(exclusive = true)
  @Nullable Target target;

  static final class Target {
    @Option(names = "--event", paramLabel = "HASH", description = "The event hash to anchor.")
    @Nullable String event;

    @Option(names = "--head", description = "Anchor the agent's newest event (the default).")
    boolean head;
  }

  @Option(
      names = "--agent",
      paramLabel = "AGENT_ID",
      description = "With --head: whose newest event (needed when the store holds several agents).")
  @Nullable String agent;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    String verb = "timestamp";
    TsaConfig config;
    try {
      config = TsaConfig.of(URI.create(tsaUrl));
    } catch (IllegalArgumentException e) {
      return AuditCommand.unusable(cmd, verb, "--tsa: " + e.getMessage());
    }
    try {
      TsaTrust trust;
      try {
        trust = TsaTrust.readPem(tsaRoot);
      } catch (CertificateException e) {
        throw new AuditCommand.UnusableInputException(
            "--tsa-root " + tsaRoot + ": not a certificate file (" + e.getMessage() + ")");
      }
      try (SharedState shared = db.open()) {
        return anchor(cmd, verb, shared, config, trust);
      }
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, verb, e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, verb, AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, verb, e.getCause().getMessage());
    }
  }

  /** Finds the event, asks the TSA, and stores a verified token beside the chain. */
  private int anchor(CommandLine cmd, String verb, SharedState shared, TsaConfig config,
      TsaTrust trust) throws IOException, AuditCommand.UnusableInputException {
    String where = shared.auditLocation(data);
    AuditEvent event;
    try (AuditStore store = AuditCommand.openStore(shared, data, true)) {
      event = find(store, where);
    }
    CommandEnvironment env = CommandEnvironment.of(cmd);
    TimestampVerification result;
    try (TsaClient client = TsaClient.create(config, trust, env.clock(), env.random())) {
      result = client.timestamp(event);
    }
    return switch (result) {
      case TimestampVerification.Failed f ->
          AuditCommand.fail(
              cmd, verb,
              "no trusted timestamp for " + event.hash() + " (" + f.failure().label() + "): "
                  + ExportCheck.printable(f.detail(), 400) + "; nothing stored",
              AuditCommand.EXIT_REFUSED);
      case TimestampVerification.Verified v -> stored(cmd, shared, v.timestamp());
    };
  }

  private int stored(CommandLine cmd, SharedState shared, TrustedTimestamp t) throws IOException {
    boolean added;
    try (TimestampStore sidecar = shared.timestampStore(data)) {
      added = sidecar.add(t);
    }
    cmd.getOut().println("anchored:  " + t.eventHash());
    cmd.getOut().println("genTime:   " + t.genTime() + " (from the TSA's signed token)");
    cmd.getOut().println("tsa:       " + ExportCheck.printable(t.tsa(), 200));
    cmd.getOut().println("source:    " + t.source());
    cmd.getOut()
        .println(
            "stored in: "
                + (shared.sharedAudit() ? shared.auditLocation(data)
                    : data.resolve(SqliteTimestampStore.FILE_NAME).toString())
                + (added ? "" : " (this token was already stored)"));
    cmd.getOut().flush();
    return 0;
  }

  private AuditEvent find(AuditStore store, String where)
      throws AuditCommand.UnusableInputException {
    if (target != null && target.event != null) {
      String hash = target.event;
      if (!EVENT_HASH.matcher(hash).matches()) {
        throw new AuditCommand.UnusableInputException(
            "--event must be a 64-digit lowercase hex event hash");
      }
      for (String id : store.agents()) {
        Optional<AuditEvent> found =
            store.events(id).stream().filter(e -> e.hash().equals(hash)).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
      throw new AuditCommand.UnusableInputException("no event " + hash + " in " + where);
    }
    List<String> agents = store.agents();
    String id;
    if (agent != null) {
      id = agent;
    } else if (agents.size() == 1) {
      id = agents.getFirst();
    } else if (agents.isEmpty()) {
      throw new AuditCommand.UnusableInputException("the store in " + where + " holds no events");
    } else {
      throw new AuditCommand.UnusableInputException(
          "the store holds " + agents.size() + " agents: pass --agent AGENT_ID or --event HASH");
    }
    return store.last(id)
        .orElseThrow(() -> new AuditCommand.UnusableInputException("no events for agent " + id));
  }
}
