package dev.handshake.server.cli;

import dev.handshake.json.Json;
import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingCode;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.Resolution;
import dev.handshake.pairing.http.PairingJson;
import dev.handshake.server.ServerPairing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code handshake pair}: the owner's side of channel pairing (pairing.md §3.2 rule 5) on the
 * server's own store ({@code <data>/pairing.db}, or with {@code --db} / {@code --redis} the one the
 * nodes share, {@link SharedStateOptions}), safe to run while the server runs: every verb is one
 * transaction, so the CLI and the server approving at once never duplicate a grant.
 *
 * <p>Exit codes: 0 done; 1 the request could not be approved, denied or revoked (not found,
 * denied, expired …; the message says which); 2 unusable input (a malformed code, a store that
 * cannot be opened, a pepper in {@code --data} that is not the other nodes').
 */
@Command(
    name = "pair",
    mixinStandardHelpOptions = true,
    subcommands = {
      PairCommand.ListCommand.class,
      PairCommand.ApproveCommand.class,
      PairCommand.DenyCommand.class,
      PairCommand.RevokeCommand.class,
      PairCommand.GrantsCommand.class,
      PairCommand.ImportCommand.class
    },
    description = "List, approve, deny and revoke pairing requests and grants.")
final class PairCommand implements Runnable {
  static final int EXIT_REFUSED = 1;
  static final int EXIT_UNUSABLE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the store is and how it is configured; the same values as {@code serve}. */
  static final class StoreOptions {
    @Option(names = "--data", defaultValue = "${env:HANDSHAKE_DATA:-handshake-data}",
        description = "The server's data folder (env HANDSHAKE_DATA, default ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--pairing-code-ttl", defaultValue = "${env:HANDSHAKE_PAIRING_CODE_TTL:-3600}",
        description = "Seconds a request lives; use the server's value (default ${DEFAULT-VALUE}).")
    long codeTtl;

    @Mixin SharedStateOptions nodes = new SharedStateOptions();

    PairingStore open(CommandLine cmd, dev.handshake.server.SharedState shared) throws IOException {
      return ServerPairing.openStore(Path.of(dataDir), ServeCommand.pairingConfig(codeTtl),
          shared, CommandEnvironment.of(cmd).clock());
    }
  }

  /** The approver named in grants and events: {@code cli:<user>}. */
  static Approver approver(Optional<String> as) {
    return Approver.named(as.orElse("cli:" + System.getProperty("user.name", "owner")));
  }

  abstract static class Verb implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store = new StoreOptions();

    @Override
    public final Integer call() {
      CommandLine cmd = spec.commandLine();
      try (dev.handshake.server.SharedState shared = store.nodes.open();
          PairingStore s = store.open(cmd, shared)) {
        return run(s, cmd.getOut(), cmd);
      } catch (IOException | java.io.UncheckedIOException e) {
        return unusable(cmd, "cannot open the pairing store: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        return unusable(cmd, e.getMessage());
      }
    }

    abstract int run(PairingStore s, PrintWriter out, CommandLine cmd);

    int unusable(CommandLine cmd, String message) {
      cmd.getErr().println("pair " + spec.name() + ": " + message);
      cmd.getErr().flush();
      return EXIT_UNUSABLE;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Pending requests, oldest first (never their codes: only the requester has it).")
  static final class ListCommand extends Verb {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CHANNEL", description = "Only this channel.")
    String channelArg;

    @Option(names = "--channel", description = "Only this channel type.")
    String channel;

    @Option(names = "--account", description = "Only this channel account.")
    String account;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int run(PairingStore s, PrintWriter out, CommandLine cmd) {
      Optional<String> ch = Optional.ofNullable(channel).or(() -> Optional.ofNullable(channelArg));
      List<PairingRequest> pending = s.pending(ch).stream()
          .filter(r -> account == null || r.requester().accountId().equals(account)).toList();
      if (json) {
        ArrayNode a = Json.nodes().arrayNode();
        pending.forEach(r -> a.add(PairingJson.request(r)));
        out.println(Json.pretty(Json.object().set("requests", a)));
      } else if (pending.isEmpty()) {
        out.println("No pending pairing requests.");
      } else {
        Instant now = CommandEnvironment.of(cmd).clock().instant();
        out.printf("%-36s  %-12s  %-10s  %-24s  %-20s  %s%n", "REQUEST", "CHANNEL", "ACCOUNT",
            "SENDER", "NAME", "EXPIRES IN");
        for (PairingRequest r : pending) {
          out.printf("%-36s  %-12s  %-10s  %-24s  %-20s  %s%n", r.requestId(),
              r.requester().channelType(), r.requester().accountId(),
              r.requester().senderId(), dev.handshake.pairing.DisplayText.clean(r.displayMeta().getOrDefault("name", ""), 20),
              minutes(Duration.between(now, r.expiresAt())));
        }
        out.println("Approve with: handshake pair approve <CODE the requester shows you | REQUEST id>");
      }
      out.flush();
      return 0;
    }
  }

  static String minutes(Duration d) {
    long m = Math.max(0, d.toMinutes());
    return m + " min";
  }

  abstract static class Resolve extends Verb {
    @Parameters(index = "0", paramLabel = "CODE_OR_ID",
        description = "The code the requester was given (XXXX-XXXX, any case) or a request id.")
    String codeOrId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CODE",
        description = "With a CHANNEL first (OpenClaw order: approve <channel> <code>), the code.")
    String second;

    @Option(names = "--channel", description = "Only a request on this channel type.")
    String channel;

    @Option(names = "--account", description = "Only a request on this channel account.")
    String account;

    @Option(names = "--as", description = "The approver named in the grant (default cli:<user>).")
    String as;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    abstract boolean approve();

    @Override
    int run(PairingStore s, PrintWriter out, CommandLine cmd) {
      String typed = second != null ? second : codeOrId;
      Optional<String> ch = Optional.ofNullable(channel).or(() -> Optional.ofNullable(second).map(x -> codeOrId));
      ApprovalTarget target;
      if (typed.strip().length() == 36) {
        try {
          target = new ApprovalTarget.ById(UUID.fromString(typed.strip()).toString());
        } catch (IllegalArgumentException e) {
          return unusable(cmd, "'" + typed + "' is neither a code nor a request id");
        }
      } else {
        Optional<PairingCode> code = PairingCode.parse(typed, s.config().alphabet());
        if (code.isEmpty()) {
          return unusable(cmd, "'" + dev.handshake.pairing.DisplayText.clean(typed, 40)
              + "' is not a pairing code (8 letters and digits, like K7QX-M2PA) or a request id");
        }
        target = new ApprovalTarget.ByCode(code.get(), ch, Optional.ofNullable(account));
      }
      Approver approver = approver(Optional.ofNullable(as));
      Resolution r = approve() ? s.approve(target, approver) : s.deny(target, approver);
      return switch (r) {
        case Resolution.Approved a -> {
          if (json) {
            out.println(Json.pretty(Json.object().put("outcome", "approved")
                .set("grant", PairingJson.grant(a.grant()))));
          } else {
            out.println("Approved: " + a.grant().requester() + " is paired (request "
                + a.request().requestId() + ").");
          }
          out.flush();
          yield 0;
        }
        case Resolution.Denied d -> {
          if (json) {
            out.println(Json.pretty(Json.object().put("outcome", "denied")
                .set("request", PairingJson.request(d.request()))));
          } else {
            out.println("Denied: request " + d.request().requestId() + " from "
                + d.request().requester() + ". No access was granted.");
          }
          out.flush();
          yield 0;
        }
        case Resolution.Failed f -> {
          cmd.getErr().println("pair " + spec.name() + ": " + f.failure().message()
              + (f.failure() == Resolution.Failure.RATE_LIMITED
                  ? " (in " + Math.max(1, f.retryAfter().toSeconds()) + " s)" : ""));
          cmd.getErr().flush();
          yield EXIT_REFUSED;
        }
      };
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a request by its code or id: its own requester is paired.")
  static final class ApproveCommand extends Resolve {
    @Override
    boolean approve() {
      return true;
    }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true,
      description = "Deny a request by its code or id, for good; no access is granted.")
  static final class DenyCommand extends Resolve {
    @Override
    boolean approve() {
      return false;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a paired sender's access (PraisonAI order: revoke <channel> <sender>).")
  static final class RevokeCommand extends Verb {
    @Parameters(index = "0", paramLabel = "CHANNEL") String channel;
    @Parameters(index = "1", paramLabel = "SENDER") String sender;

    @Option(names = "--account", defaultValue = Requester.DEFAULT_ACCOUNT,
        description = "The channel account (default ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--as", description = "Who revokes (default cli:<user>).")
    String as;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int run(PairingStore s, PrintWriter out, CommandLine cmd) {
      Requester who = new Requester(channel, account, sender);
      Optional<Grant> g = s.revoke(who, approver(Optional.ofNullable(as)).actor());
      if (g.isEmpty()) {
        cmd.getErr().println("pair revoke: " + who + " has no active grant");
        cmd.getErr().flush();
        return EXIT_REFUSED;
      }
      out.println(json ? Json.pretty(Json.object().put("outcome", "revoked")
          .set("grant", PairingJson.grant(g.get()))) : "Revoked: " + who + " is no longer paired.");
      out.flush();
      return 0;
    }
  }

  @Command(name = "grants", mixinStandardHelpOptions = true,
      description = "Paired senders (with --all also revoked grants).")
  static final class GrantsCommand extends Verb {
    @Option(names = "--all", description = "Include revoked grants.")
    boolean all;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int run(PairingStore s, PrintWriter out, CommandLine cmd) {
      List<Grant> grants = s.grants(all);
      if (json) {
        ArrayNode a = Json.nodes().arrayNode();
        grants.forEach(g -> a.add(PairingJson.grant(g)));
        out.println(Json.pretty(Json.object().set("grants", a)));
      } else if (grants.isEmpty()) {
        out.println("No grants.");
      } else {
        out.printf("%-12s  %-10s  %-24s  %-24s  %-20s  %s%n", "CHANNEL", "ACCOUNT", "SENDER",
            "APPROVED BY", "APPROVED AT", "STATE");
        for (Grant g : grants) {
          out.printf("%-12s  %-10s  %-24s  %-24s  %-20s  %s%n", g.requester().channelType(),
              g.requester().accountId(), g.requester().senderId(), g.approvedBy(),
              g.approvedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
              g.active() ? "active" : "revoked by " + g.revokedBy().orElse("?"));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Carry grants and pending requests over from PraisonAI or OpenClaw (plaintext codes are re-hashed, not kept).")
  static final class ImportCommand extends Verb {
    @Option(names = "--praisonai", paramLabel = "FILE",
        description = "PraisonAI's pairing.json (~/.praisonai/gateway/pairing.json).")
    Path praisonai;

    @Option(names = "--openclaw", paramLabel = "DIR",
        description = "OpenClaw's credentials folder (~/.openclaw/credentials).")
    Path openclaw;

    @Override
    int run(PairingStore s, PrintWriter out, CommandLine cmd) {
      if ((praisonai == null) == (openclaw == null)) {
        return unusable(cmd, "give exactly one of --praisonai FILE and --openclaw DIR");
      }
      dev.handshake.pairing.PairingImport.Report r;
      try {
        r = praisonai != null
            ? dev.handshake.pairing.PairingImport.praisonai(praisonai, s)
            : dev.handshake.pairing.PairingImport.openclaw(openclaw, s);
      } catch (IOException e) {
        return unusable(cmd, e.getMessage());
      }
      out.println("Imported " + r.grants() + " grants and " + r.requests() + " pending requests.");
      r.skipped().forEach(x -> out.println("  skipped: " + dev.handshake.pairing.DisplayText.clean(x, 200)));
      out.flush();
      return 0;
    }
  }
}
