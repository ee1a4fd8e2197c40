package dev.handshake.server.cli;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.server.SharedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code handshake audit import FILE --data DIR}: stores the chain of a verified {@code
 * AISS-1.0-AUDIT} export in the audit store, as it was signed (a foreign genesis form is kept).
 *
 * <p>Refused (exit 1, nothing stored) when the file does not verify (profile {@code ours} for files
 * our exporter wrote, else {@code foreign}; there is no way to import an invalid chain), when a new
 * event reuses a nonce the store has seen for that agent (aiss.md §3 item 15: stored events, and
 * the seen-nonce memory kept ≥ 24 h), or when the store holds a different chain for the agent.
 * Importing a chain that is already stored is a no-op ("already imported"); a longer copy of a
 * stored chain adds its new events. Exit 2 for unusable input.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Verify an AISS-1.0-AUDIT export and add its events to the audit store.")
final class AuditImportCommand implements Callable<Integer> {
  /** How long imported nonces are remembered (aiss.md §3 item 15: at least 24 h). */
  static final long NONCE_RETENTION_SECONDS = 86_400;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The audit export to import.")
  Path file;

  @Option(
      names = "--data",
      defaultValue = AuditCommand.DEFAULT_DATA,
      paramLabel = "DIR",
      description = "Folder of the audit store (audit.db; default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin AuditDbOption db = new AuditDbOption();

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      ExportCheck check = ExportCheck.read(file, Optional.empty(), Optional.empty());
      if (!check.valid()) {
        check.print(cmd.getOut());
        return AuditCommand.fail(
            cmd, "import", file + " does not verify; nothing imported", AuditCommand.EXIT_REFUSED);
      }
      long now = CommandEnvironment.of(cmd).clock().instant().getEpochSecond();
      try (SharedState shared = db.open();
          AuditStore store = AuditCommand.openStore(shared, data, false)) {
        return importInto(cmd, store, check, now, shared.auditLocation(data));
      }
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "import", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "import", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "import", e.getCause().getMessage());
    }
  }

  private int importInto(
      CommandLine cmd, AuditStore store, ExportCheck check, long now, String where) {
    // A valid report under ours/foreign means every event carries the identity's agent_id.
    String agentId = check.identity().agentId();
    List<AuditEvent> events = check.export().events();
    List<AuditEvent> stored = store.events(agentId);
    int common = 0;
    while (common < Math.min(stored.size(), events.size())
        && stored.get(common).hash().equals(events.get(common).hash())) {
      common++;
    }
    if (common == events.size()) {
      cmd.getOut()
          .println(
              events.isEmpty()
                  ? "nothing to import: " + file + " holds no events"
                  : "already imported: the "
                      + events.size()
                      + " events of "
                      + agentId
                      + " are in "
                      + where);
      cmd.getOut().flush();
      return 0;
    }
    List<AuditEvent> fresh = events.subList(common, events.size());
    List<String> replayed = replayedNonces(store, agentId, stored, fresh, now);
    if (!replayed.isEmpty()) {
      return AuditCommand.fail(
          cmd,
          "import",
          "refused: "
              + (replayed.size() == 1 ? "nonce " : "nonces ")
              + ExportCheck.printable(String.join(", ", replayed), 400)
              + " of "
              + agentId
              + (replayed.size() == 1 ? " was" : " were")
              + " already seen (replay, aiss.md §3 item 15); nothing imported",
          AuditCommand.EXIT_REFUSED);
    }
    if (common < stored.size()) {
      return conflict(cmd, agentId, common);
    }
    int appended = 0;
    try {
      for (AuditEvent e : fresh) {
        store.append(e);
        appended++;
      }
    } catch (AuditStore.StaleHeadException e) {
      // Another writer extended the chain since we read it: the same situation as a conflict.
      return AuditCommand.fail(
          cmd,
          "import",
          "refused: another writer extended the chain of "
              + agentId
              + " during the import ("
              + appended
              + " of "
              + fresh.size()
              + " new events stored)",
          AuditCommand.EXIT_REFUSED);
    }
    // After the events are durable: a crash in between leaves stored events, which count as
    // seen on their own, rather than remembered nonces without their events.
    fresh.forEach(e -> store.recordNonce(agentId, e.nonce(), now, NONCE_RETENTION_SECONDS));
    if (check.report().headValid().orElse(false)) {
      check.export().head().ifPresent(store::saveHead);
    }
    cmd.getOut()
        .println(
            "imported "
                + fresh.size()
                + " events of "
                + agentId
                + " into "
                + where
                + (common > 0 ? " (" + common + " already there)" : "")
                + ", profile "
                + check.profile());
    cmd.getOut().flush();
    return 0;
  }

  /**
   * The nonces of {@code fresh} already seen for {@code agentId}: used by a stored event, or in the
   * store's unexpired nonce memory. The memory is only probed here (retention 0 leaves an entry
   * that has already expired), so a refused import remembers nothing.
   */
  private static List<String> replayedNonces(
      AuditStore store, String agentId, List<AuditEvent> stored, List<AuditEvent> fresh, long now) {
    Set<String> storedNonces = new LinkedHashSet<>();
    stored.forEach(e -> storedNonces.add(e.nonce()));
    List<String> replayed = new ArrayList<>();
    for (AuditEvent e : fresh) {
      if (storedNonces.contains(e.nonce()) || !store.recordNonce(agentId, e.nonce(), now, 0)) {
        replayed.add(e.nonce());
      }
    }
    return replayed;
  }

  private int conflict(CommandLine cmd, String agentId, int index) {
    return AuditCommand.fail(
        cmd,
        "import",
        "refused: the store already holds a different chain for "
            + agentId
            + " (event "
            + index
            + " differs); nothing imported",
        AuditCommand.EXIT_REFUSED);
  }
}
