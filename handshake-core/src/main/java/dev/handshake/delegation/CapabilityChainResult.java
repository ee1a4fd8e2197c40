package dev.handshake.delegation;

import java.util.List;

/**
 * The outcome of verifying a capability chain (root first, leaf last): {@link Valid} with the
 * chain, or {@link Invalid} with the spec's reason, the offending position and a detail for logs.
 */
public sealed interface CapabilityChainResult {
  /** Whether the chain verified. */
  default boolean valid() {
    return this instanceof Valid;
  }

  /** The chain verified; {@code chain} is what was verified, root first. */
  record Valid(List<DelegationCapability> chain) implements CapabilityChainResult {
    public Valid {
      chain = List.copyOf(chain);
    }
  }

  /**
   * The chain did not verify.
   *
   * @param reason the decision reason it maps to
   * @param index the capability at fault (0 = root), or -1 when the chain as a whole is at fault
   *     (empty, too long)
   * @param detail what exactly failed, for logs and tests; never a secret
   */
  record Invalid(Reason reason, int index, String detail) implements CapabilityChainResult {}

  /** The two decision reasons a capability chain can produce (trusthandoff.md §3, step 7). */
  enum Reason {
    /**
     * Structure, identity, signature, time or revocation: the chain is not a verifiable delegation
     * from a trusted root to the expected subject.
     */
    INVALID_CHAIN("Invalid delegation chain"),
    /** A well-formed chain in which a child grants more than its parent (permissions, limits). */
    POLICY_VIOLATION("Delegation policy violation");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** The exact decision reason string. */
    public String text() {
      return text;
    }
  }

  /** Shorthand for an {@link Reason#INVALID_CHAIN} result. */
  static Invalid invalid(int index, String detail) {
    return new Invalid(Reason.INVALID_CHAIN, index, detail);
  }

  /** Shorthand for a {@link Reason#POLICY_VIOLATION} result. */
  static Invalid violation(int index, String detail) {
    return new Invalid(Reason.POLICY_VIOLATION, index, detail);
  }
}
