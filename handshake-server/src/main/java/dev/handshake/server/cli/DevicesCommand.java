package dev.handshake.server.cli;

import dev.handshake.json.Json;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceResolution;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceToken;
import dev.handshake.pairing.device.PairedDevice;
import dev.handshake.pairing.device.TokenIssue;
import dev.handshake.pairing.http.DeviceJson;
import dev.handshake.server.ServerPairing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake devices}: the owner's side of device and agent pairing (pairing.md §2.4, §3.2
 * rule 7) on the server's own store ({@code <data>/pairing-devices.db}, or with {@code --db} /
 * {@code --redis} the one the nodes share, {@link SharedStateOptions}), safe to run while the
 * server runs (every verb is one transaction).
 *
 * <p>Exit codes as {@code handshake pair}: 0 done; 1 refused (not found, already resolved, no live
 * token …; the message says which); 2 unusable input or a store that cannot be opened.
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    subcommands = {
      DevicesCommand.ListCommand.class,
      DevicesCommand.PendingCommand.class,
      DevicesCommand.ApproveCommand.class,
      DevicesCommand.RejectCommand.class,
      DevicesCommand.RevokeCommand.class,
      DevicesCommand.RotateCommand.class,
      DevicesCommand.RemoveCommand.class
    },
    description = "List paired devices, approve or reject their requests, revoke, rotate, remove.")
final class DevicesCommand implements Runnable {
  static final int EXIT_REFUSED = 1;
  static final int EXIT_UNUSABLE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the store is; the same folder and shared stores as {@code serve}. */
  static final class StoreOptions {
    @Option(names = "--data", defaultValue = "${env:HANDSHAKE_DATA:-handshake-data}",
        description = "The server's data folder (env HANDSHAKE_DATA, default ${DEFAULT-VALUE}).")
    String dataDir;

    @Mixin SharedStateOptions nodes = new SharedStateOptions();

    DeviceStore open(CommandLine cmd, dev.handshake.server.SharedState shared) throws IOException {
      return ServerPairing.openDeviceStore(Path.of(dataDir), DevicePairingConfig.defaults(),
          shared, CommandEnvironment.of(cmd).clock());
    }
  }

  abstract static class Verb implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store = new StoreOptions();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public final Integer call() {
      CommandLine cmd = spec.commandLine();
      try (dev.handshake.server.SharedState shared = store.nodes.open();
          DeviceStore s = store.open(cmd, shared)) {
        int exit = run(s, cmd.getOut(), cmd);
        cmd.getOut().flush();
        return exit;
      } catch (IOException | java.io.UncheckedIOException e) {
        return fail(cmd, EXIT_UNUSABLE, "cannot open the device store: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        return fail(cmd, EXIT_UNUSABLE, e.getMessage());
      }
    }

    abstract int run(DeviceStore s, PrintWriter out, CommandLine cmd);

    int fail(CommandLine cmd, int exit, String message) {
      cmd.getErr().println("devices " + spec.name() + ": " + dev.handshake.pairing.DisplayText.clean(message, 300));
      cmd.getErr().flush();
      return exit;
    }

    String actor() {
      return "cli:" + System.getProperty("user.name", "owner");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Paired devices with their roles, scopes and tokens (never token secrets).")
  static final class ListCommand extends Verb {
    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      List<PairedDevice> devices = s.devices();
      if (json) {
        ArrayNode a = Json.nodes().arrayNode();
        for (PairedDevice d : devices) {
          ObjectNode j = DeviceJson.device(d);
          ArrayNode tokens = j.putArray("tokens");
          s.tokens(d.deviceId()).forEach(t -> tokens.add(DeviceJson.token(t)));
          a.add(j);
        }
        out.println(Json.pretty(Json.object().set("devices", a)));
      } else if (devices.isEmpty()) {
        out.println("No paired devices.");
      } else {
        out.printf("%-64s  %-20s  %-12s  %-20s  %s%n", "DEVICE", "NAME", "ROLES", "SCOPES",
            "TOKENS");
        for (PairedDevice d : devices) {
          List<DeviceToken> tokens = s.tokens(d.deviceId());
          out.printf("%-64s  %-20s  %-12s  %-20s  %s%n", d.deviceId(),
              dev.handshake.pairing.DisplayText.clean(d.displayName(), 20), String.join(",", d.approvedRoles()),
              dev.handshake.pairing.DisplayText.clean(String.join(",", d.approvedScopes()), 40),
              tokens.stream().map(t -> t.role() + (t.live() ? ":live" : ":revoked"))
                  .reduce((x, y) -> x + "," + y).orElse("-"));
        }
      }
      return 0;
    }
  }

  @Command(name = "pending", mixinStandardHelpOptions = true,
      description = "Device requests waiting for approval, oldest first.")
  static final class PendingCommand extends Verb {
    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      List<DeviceRequest> pending = s.pending();
      if (json) {
        ArrayNode a = Json.nodes().arrayNode();
        pending.forEach(r -> a.add(DeviceJson.request(r)));
        out.println(Json.pretty(Json.object().set("requests", a)));
      } else if (pending.isEmpty()) {
        out.println("No pending device requests.");
      } else {
        Instant now = CommandEnvironment.of(cmd).clock().instant();
        out.printf("%-36s  %-16s  %-20s  %-8s  %-20s  %-16s  %s%n", "REQUEST", "DEVICE", "NAME",
            "ROLE", "SCOPES", "FROM", "EXPIRES IN");
        for (DeviceRequest r : pending) {
          out.printf("%-36s  %-16s  %-20s  %-8s  %-20s  %-16s  %s%n", r.requestId(),
              r.deviceId().substring(0, Math.min(16, r.deviceId().length())),
              dev.handshake.pairing.DisplayText.clean(r.displayName(), 20), dev.handshake.pairing.DisplayText.clean(r.role(), 8)
                  + (r.isUpgrade() ? "+" : ""),
              dev.handshake.pairing.DisplayText.clean(String.join(",", r.scopes()), 40),
              dev.handshake.pairing.DisplayText.clean(r.remoteAddress(), 40),
              Math.max(0, Duration.between(now, r.expiresAt()).toMinutes()) + " min");
        }
        out.println("Approve with: handshake devices approve <REQUEST>");
      }
      return 0;
    }
  }

  abstract static class Resolve extends Verb {
    @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id.")
    String requestId;

    @Option(names = "--as", description = "The approver named in events (default cli:<user>).")
    String as;

    abstract boolean approve();

    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      Approver approver = Approver.named(Optional.ofNullable(as).orElse(actor()));
      DeviceResolution r = approve()
          ? s.approve(requestId.strip(), approver) : s.reject(requestId.strip(), approver);
      return switch (r) {
        case DeviceResolution.Approved a -> {
          out.println(json ? Json.pretty(Json.object().put("outcome", "approved")
                  .set("device", DeviceJson.device(a.device())))
              : "Approved: device " + a.device().deviceId() + " may connect as "
                  + a.request().role() + ".");
          yield 0;
        }
        case DeviceResolution.Rejected j -> {
          out.println(json ? Json.pretty(Json.object().put("outcome", "rejected")
                  .set("request", DeviceJson.request(j.request())))
              : "Rejected: request " + j.request().requestId() + ". Nothing was granted.");
          yield 0;
        }
        case DeviceResolution.Failed f -> fail(cmd, EXIT_REFUSED, f.failure().message());
      };
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a device request: the device is paired for the role and scopes it asked.")
  static final class ApproveCommand extends Resolve {
    @Override
    boolean approve() {
      return true;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = "Reject a device request for good; nothing is granted.")
  static final class RejectCommand extends Resolve {
    @Override
    boolean approve() {
      return false;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a device's token for a role; the role stays approved.")
  static final class RevokeCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DEVICE") String deviceId;
    @Parameters(index = "1", paramLabel = "ROLE") String role;

    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      Optional<DeviceToken> t = s.revoke(deviceId.strip(), role, actor());
      if (t.isEmpty()) {
        return fail(cmd, EXIT_REFUSED, "the device has no live token for role '" + role + "'");
      }
      out.println(json ? Json.pretty(Json.object().put("outcome", "revoked")
              .set("token", DeviceJson.token(t.get())))
          : "Revoked: the " + role + " token of " + deviceId.strip() + " no longer works.");
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Issue a new token for a device's role (printed once); the old one stops working.")
  static final class RotateCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DEVICE") String deviceId;
    @Parameters(index = "1", paramLabel = "ROLE") String role;

    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      return switch (s.rotate(deviceId.strip(), role, actor())) {
        case TokenIssue.Issued i -> {
          out.println(json ? Json.pretty(Json.object().put("outcome", "rotated")
                  .put("token", i.secret().reveal()).set("record", DeviceJson.token(i.token())))
              : "New " + role + " token (shown once; hand it to the device): "
                  + i.secret().reveal());
          yield 0;
        }
        case TokenIssue.Kept k -> fail(cmd, EXIT_REFUSED, "no new token was issued");
        case TokenIssue.Refused r -> fail(cmd, EXIT_REFUSED,
            "the device is not paired, or the role is not approved for it (" + r.reason().code()
                + ")");
      };
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Unpair a device and delete its tokens; it must pair again.")
  static final class RemoveCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DEVICE") String deviceId;

    @Override
    int run(DeviceStore s, PrintWriter out, CommandLine cmd) {
      Optional<PairedDevice> d = s.remove(deviceId.strip(), actor());
      if (d.isEmpty()) {
        return fail(cmd, EXIT_REFUSED, "no paired device has this id");
      }
      out.println(json ? Json.pretty(Json.object().put("outcome", "removed")
              .set("device", DeviceJson.device(d.get())))
          : "Removed: device " + d.get().deviceId() + " is no longer paired.");
      return 0;
    }
  }
}
