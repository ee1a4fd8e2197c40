package dev.handshake.audit.cert;

import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.identity.IdentityDocument;

/**
 * The chain check both sides of certification run on an export: the profile {@code handshake audit
 * verify} picks by default ({@code ours} for our exporter, {@code foreign} otherwise), the file's
 * own signed head, and the recomputed {@code chain_integrity_hash}.
 */
final class AuditChecks {
  private AuditChecks() {}

  static VerifyOptions options(AuditExport export) {
    return export.exporter().startsWith("handshake/")
        ? VerifyOptions.ours()
        : VerifyOptions.foreign();
  }

  static ChainReport report(AuditExport export, IdentityDocument identity) {
    return new ChainVerifier(options(export)).verify(export.events(), identity, export.head());
  }

  static boolean valid(AuditExport export, ChainReport report) {
    return report.valid() && export.chainIntegrityHashMatches();
  }
}
