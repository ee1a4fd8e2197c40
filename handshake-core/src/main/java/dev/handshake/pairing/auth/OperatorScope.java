package dev.handshake.pairing.auth;

import java.util.Set;

/**
 * Operator scopes and what each implies (pairing.md §2.2): {@code read} < {@code write} < {@code
 * approvals}, {@code pairing} < {@code admin}. Unlike PraisonAI, holding both {@code approvals}
 * and {@code pairing} does not add up to {@code admin}: a token gets exactly what it was given.
 */
public final class OperatorScope {
  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String APPROVALS = "approvals";
  public static final String PAIRING = "pairing";
  public static final String ADMIN = "admin";
  public static final Set<String> ALL = Set.of(READ, WRITE, APPROVALS, PAIRING, ADMIN);

  private OperatorScope() {}

  /** Whether {@code held} allows {@code needed}. Unknown scopes allow only themselves. */
  public static boolean allows(Set<String> held, String needed) {
    if (held.contains(needed) || held.contains(ADMIN)) {
      return true;
    }
    return switch (needed) {
      case READ -> held.contains(WRITE) || held.contains(APPROVALS) || held.contains(PAIRING);
      case WRITE -> held.contains(APPROVALS) || held.contains(PAIRING);
      default -> false;
    };
  }
}
