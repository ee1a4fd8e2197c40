package dev.handshake.server.cli;

import dev.handshake.audit.ChainReport;
import dev.handshake.audit.cert.AuditCertificate;
import dev.handshake.audit.cert.CertificateVerification;
import dev.handshake.audit.cert.CertificateVerification.Failure;
import dev.handshake.audit.cert.CertificateVerification.Invalid;
import dev.handshake.audit.cert.CertificateVerification.Valid;
import dev.handshake.audit.cert.CertificateVerifier;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake audit verify-cert BUNDLE --ca-public FILE}: checks a certification bundle
 * against the CA key the user trusts ({@link CertificateVerifier}: bounded ZIP, CA signature,
 * validity now, {@code audit_hash} over the bundled bytes, the certificate's statements, the chain
 * itself). The CA key comes from {@code --ca-public}, never from the bundle.
 *
 * <p>Exit 0 valid; 1 the bundle does not verify (signature, issuer, expiry, hash, chain); 2 the
 * file is not a certification bundle or cannot be read, or the CA key file is unusable.
 */
@Command(
    name = "verify-cert",
    mixinStandardHelpOptions = true,
    description =
        "Verify a certification bundle against a trusted CA key: signature, expiry, audit hash and"
            + " the chain.")
final class AuditVerifyCertCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUNDLE", description = "The certification bundle (ZIP).")
  Path bundle;

  @Option(
      names = "--ca-public",
      required = true,
      paramLabel = "KEY_OR_ID_FILE",
      description =
          "The trusted CA's public key: identity.json, a public PEM or the Base64 raw key"
              + " (handshake id export --format identity|public-pem).")
  Path caPublic;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    Ed25519PublicKey trusted;
    CertificateVerification result;
    Instant now = CommandEnvironment.of(cmd).clock().instant();
    try {
      trusted = CaPublicKeyFile.read(caPublic);
      result = CertificateVerifier.trusting(trusted).verify(bundle, now);
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "verify-cert", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "verify-cert", AuditCommand.explain(e));
    }
    if (result instanceof Invalid i && i.failure() == Failure.MALFORMED_BUNDLE) {
      return AuditCommand.unusable(
          cmd, "verify-cert", bundle + " is not a certification bundle: " + i.detail());
    }
    if (json) {
      cmd.getOut().print(Json.pretty(toJson(result, trusted)));
    } else {
      print(cmd.getOut(), result, trusted, now);
    }
    cmd.getOut().flush();
    return result.valid() ? 0 : AuditCommand.EXIT_REFUSED;
  }

  private static ObjectNode toJson(CertificateVerification result, Ed25519PublicKey trusted) {
    ObjectNode node = Json.object();
    node.put("valid", result.valid());
    node.put("trusted_ca", AgentIds.aiss(trusted));
    switch (result) {
      case Valid v -> {
        node.set("certificate", v.certificate().toJson());
        node.set("report", v.report().toJson());
      }
      case Invalid i -> {
        node.put("failure", i.failure().name());
        node.put("detail", i.detail());
        i.certificate().ifPresent(c -> node.set("certificate", c.toJson()));
        i.report().ifPresent(r -> node.set("report", r.toJson()));
      }
    }
    return node;
  }

  private static void print(
      PrintWriter out, CertificateVerification result, Ed25519PublicKey trusted, Instant now) {
    Optional<AuditCertificate> certificate =
        switch (result) {
          case Valid v -> Optional.of(v.certificate());
          case Invalid i -> i.certificate();
        };
    certificate.ifPresent(c -> {
      out.println("certificate:  " + c.certId());
      out.println("issuer:       " + c.issuerId() + " (the trusted CA)");
      out.println("agent:        " + c.agentId());
      out.println(
          "events:       " + c.eventCount() + ", head " + c.chainHeadHash().substring(0, 16) + "…");
      out.println("audit_hash:   " + c.auditHash());
      out.println("issued:       " + Instant.ofEpochSecond(c.issuedAt()));
      out.println("expires:      " + Instant.ofEpochSecond(c.expiresAt()));
    });
    switch (result) {
      case Valid v -> {
        out.println("chain:        valid (" + v.audit().events().size() + " events)");
        out.println("result:       VALID (checked at " + now + ")");
      }
      case Invalid i -> {
        if (certificate.isEmpty()) {
          out.println("trusted CA:   " + AgentIds.aiss(trusted));
        }
        out.println(
            "result:       INVALID: "
                + i.failure()
                + ": "
                + ExportCheck.printable(i.detail(), 400));
        i.report()
            .map(ChainReport::errors)
            .orElse(List.of())
            .forEach(e -> out.println("  " + ExportCheck.printable(e, 400)));
      }
    }
  }
}
