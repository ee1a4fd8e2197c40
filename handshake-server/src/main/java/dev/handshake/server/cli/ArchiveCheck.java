package dev.handshake.server.cli;

import dev.handshake.audit.GenesisForm;
import dev.handshake.audit.archive.ArchiveLimits;
import dev.handshake.audit.archive.ArchiveReport;
import dev.handshake.audit.archive.ArchiveVerifier;
import dev.handshake.audit.archive.InvalidArchiveException;
import dev.handshake.audit.archive.PqzArchive;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.Passphrase;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * A {@code .pqz} archive read and verified: what {@code audit verify-archive} prints. Valid means
 * the {@link ArchiveReport} is: no archive problem (checksum, index, metadata, identity, head
 * coverage) and a valid chain.
 */
record ArchiveCheck(Path file, PqzArchive archive, ArchiveReport report) {
  /** Largest identity file read for {@code --identity}. */
  private static final int MAX_IDENTITY_BYTES = 1 << 20;

  /**
   * Reads and verifies {@code file}. The passphrase comes from {@code passphraseEnv} when given,
   * else from the terminal, and is asked only when the events turn out to be encrypted.
   *
   * @throws InvalidArchiveException when the file is not a readable archive or does not decrypt
   */
  static ArchiveCheck read(
      CommandLine cmd, Path file, @Nullable String passphraseEnv, ArchiveVerifier.Options options)
      throws IOException, InvalidArchiveException {
    PqzArchive archive;
    if (passphraseEnv != null) {
      try (Passphrase passphrase =
          PassphraseOptions.fromVariable(cmd, passphraseEnv, "--passphrase-env")) {
        archive = PqzArchive.read(file, Optional.of(passphrase), ArchiveLimits.defaults());
      }
    } else {
      try {
        archive = PqzArchive.read(file, Optional.empty(), ArchiveLimits.defaults());
      } catch (InvalidArchiveException e) {
        if (e.reason() != InvalidArchiveException.Reason.PASSPHRASE_REQUIRED) {
          throw e;
        }
        try (Passphrase passphrase =
            PassphraseOptions.fromVariableOrTerminal(
                cmd, null, "--passphrase-env", "Passphrase for " + file + ": ")) {
          archive = PqzArchive.read(file, Optional.of(passphrase), ArchiveLimits.defaults());
        }
      }
    }
    return new ArchiveCheck(file, archive, ArchiveVerifier.verify(archive, options));
  }

  /**
   * Reads the identity that {@code --identity} names: an AISS {@code identity.json}, the
   * reference's {@code {"identity": {…}}} wrapper or an audit export's {@code agent_identity}. Its
   * {@code agent_id} must derive from its key.
   */
  static IdentityDocument readIdentity(Path file)
      throws IOException, AuditCommand.UnusableInputException {
    if (Files.size(file) > MAX_IDENTITY_BYTES) {
      throw new AuditCommand.UnusableInputException(file + " is too large for an identity");
    }
    JsonNode json;
    try {
      json = CanonicalJson.parse(Files.readAllBytes(file));
    } catch (CanonicalJsonException e) {
      throw new AuditCommand.UnusableInputException(file + " is not JSON: " + e.getMessage());
    }
    JsonNode node =
        json.path("agent_identity").isObject()
            ? json.path("agent_identity")
            : json.path("identity").isObject() ? json.path("identity") : json;
    try {
      return IdentityDocument.parse(node, true, false);
    } catch (IdentityDocument.InvalidIdentityException e) {
      throw new AuditCommand.UnusableInputException(file + ": " + e.getMessage());
    }
  }

  /**
   * One line per event ({@link ExportCheck#printEvents}), then the archive checks, the result and,
   * when invalid, every archive problem and chain error.
   */
  void print(PrintWriter out) {
    ExportCheck.printEvents(out, report.chain());
    out.println(
        "archive:               "
            + ExportCheck.printable(file.toString(), 200)
            + " ("
            + (report.encrypted() ? "encrypted data.enc" : "plain data.json")
            + ", "
            + report.entries().size()
            + " members)");
    out.println("agent:                 " + ExportCheck.printable(report.agentId(), 64));
    out.println(
        "profile:               "
            + report.profile().label()
            + archive
                .exporter()
                .map(e -> " (exporter " + ExportCheck.printable(e, 64) + ")")
                .orElse(" (no exporter: a reference archive)"));
    out.println(
        "identity:              "
            + switch (report.identity()) {
              case ARCHIVE -> PqzArchive.IDENTITY;
              case SUPPLIED -> "supplied (--identity)";
              case NONE -> "NONE (signatures not checkable; pass --identity FILE)";
            });
    out.println(
        "genesis:               "
            + Optional.ofNullable(report.chain().genesisForms().get(report.agentId()))
                .map(GenesisForm::label)
                .orElse("-"));
    out.println("signed head:           " + status(report.headValid(), "none"));
    out.println("archive_checksum:      " + status(report.checksumValid(), "absent"));
    out.println("index.json:            " + status(report.indexValid(), "absent"));
    out.println("metadata.json:         " + (report.metadataValid() ? "valid" : "INVALID"));
    if (report.valid()) {
      out.println("result:                VALID (" + report.chain().events().size() + " events)");
    } else {
      out.println("result:                INVALID");
      for (String problem : report.problems()) {
        out.println("  " + ExportCheck.printable(problem, 400));
      }
      for (String error : report.chain().errors()) {
        out.println("  " + ExportCheck.printable(error, 400));
      }
    }
    out.flush();
  }

  private static String status(Optional<Boolean> check, String absent) {
    return check.map(v -> v ? "valid" : "INVALID").orElse(absent);
  }
}
