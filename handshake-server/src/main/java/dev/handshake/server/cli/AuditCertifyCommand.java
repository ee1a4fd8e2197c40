package dev.handshake.server.cli;

import dev.handshake.audit.cert.AuditCertificate;
import dev.handshake.audit.cert.AuditCertifier;
import dev.handshake.audit.cert.CertificationException;
import dev.handshake.audit.cert.CertifiedBundle;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.LoadedKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit certify --ca-key KEYFILE --audit FILE --out BUNDLE}: acts as a
 * certification authority (aiss.md §3 item 10, docs/CERTIFICATION.md). Verifies the export fully
 * and, only if it verifies, writes a bundle (ZIP: {@code certificate.json}, the exact {@code
 * audit.json}, {@code ca-identity.json}) whose certificate the CA key signs. The CA key must not be
 * the audited agent's.
 *
 * <p>Exit 0 issued; 1 refused because the export does not verify; 2 unusable input (not an export,
 * empty or too large, the CA key is the agent's, key file or passphrase problem, existing {@code
 * --out}, I/O).
 */
@Command(
    name = "certify",
    mixinStandardHelpOptions = true,
    description =
        "As a certification authority: verify an AISS-1.0-AUDIT export and write a signed"
            + " certification bundle.")
final class AuditCertifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca-key",
      required = true,
      paramLabel = "KEYFILE",
      description = "The CA's key file (any format handshake id reads); never the agent's key.")
  Path caKey;

  @Option(
      names = "--audit",
      required = true,
      paramLabel = "FILE",
      description = "The AISS-1.0-AUDIT export to certify.")
  Path audit;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "BUNDLE",
      description = "The bundle (ZIP) to write.")
  Path out;

  @Option(
      names = "--valid-days",
      defaultValue = "365",
      paramLabel = "DAYS",
      description = "How long the certificate holds (default ${DEFAULT-VALUE} days).")
  int validDays;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Mixin PassphraseOptions passphrase = new PassphraseOptions();

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (validDays < 1 || validDays > 36500) {
      throw new CommandLine.ParameterException(cmd, "--valid-days must be 1 to 36500");
    }
    try {
      if (!force && Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      long size = Files.size(audit);
      if (size > CertifiedBundle.MAX_AUDIT_BYTES) {
        return AuditCommand.unusable(
            cmd,
            "certify",
            audit
                + " has "
                + size
                + " bytes; a bundle carries at most "
                + CertifiedBundle.MAX_AUDIT_BYTES);
      }
      byte[] auditFile = Files.readAllBytes(audit);
      LoadedKey loaded = KeyFiles.load(caKey, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
      IdCommand.warnIfPlaintext(cmd.getErr(), caKey, loaded.format());
      Ed25519PrivateKey key = loaded.key();
      CommandEnvironment environment = CommandEnvironment.of(cmd);
      CertifiedBundle bundle =
          AuditCertifier.create(key, environment.clock(), environment.random())
              .withValidity(Duration.ofDays(validDays))
              .certify(auditFile);
      AuditCommand.write(out, bundle.toZip(), force);
      AuditCertificate c = bundle.certificate();
      cmd.getOut()
          .println(
              "wrote "
                  + out
                  + ": certificate "
                  + c.certId()
                  + " for agent "
                  + c.agentId()
                  + " ("
                  + c.eventCount()
                  + " events), issued by CA "
                  + c.issuerId()
                  + ", valid until "
                  + Instant.ofEpochSecond(c.expiresAt()));
      cmd.getOut().flush();
      return 0;
    } catch (CertificationException e) {
      if (e.reason() == CertificationException.Reason.CHAIN_INVALID) {
        return AuditCommand.fail(
            cmd, "certify", "refused: " + audit + ": " + e.getMessage(), AuditCommand.EXIT_REFUSED);
      }
      return AuditCommand.unusable(cmd, "certify", audit + ": " + e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "certify", AuditCommand.explain(e));
    } finally {
      passphrase.wipe();
    }
  }
}
