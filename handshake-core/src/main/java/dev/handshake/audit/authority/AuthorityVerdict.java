package dev.handshake.audit.authority;

import java.util.List;

/**
 * The answer of {@link AuthorityVerifier}: {@link Valid} when every statement verified and the
 * chain delegates the requested action to the agent, else {@link Invalid} with the first failure.
 */
public sealed interface AuthorityVerdict {
  boolean valid();

  /**
   * The chain holds.
   *
   * @param accountableAuthority the root's id: who answers for what the agent does (the reference's
   *     {@code get_accountable_authority})
   * @param scope the actions the last statement grants the agent
   * @param validUntil the earliest end of validity along the chain (epoch seconds, inclusive)
   */
  record Valid(
      String accountableAuthority,
      String agentId,
      List<String> scope,
      long validUntil,
      List<AuthorityStatement> chain)
      implements AuthorityVerdict {
    public Valid {
      scope = List.copyOf(scope);
      chain = List.copyOf(chain);
    }

    @Override
    public boolean valid() {
      return true;
    }
  }

  /**
   * The chain does not hold.
   *
   * @param step index of the statement that failed, or -1 for the chain as a whole
   */
  record Invalid(Reason reason, int step, String detail) implements AuthorityVerdict {
    @Override
    public boolean valid() {
      return false;
    }
  }

  /** Why a chain does not hold. */
  enum Reason {
    /** No statements. */
    EMPTY_CHAIN,
    /** More statements than the verifier accepts. */
    CHAIN_TOO_LONG,
    /** A statement is not structurally a statement. */
    MALFORMED,
    /** The first issuer is not a configured root. */
    UNTRUSTED_ROOT,
    /** No key for a later issuer: no {@code subject_public_key} before it and not known. */
    UNKNOWN_ISSUER_KEY,
    /** A signature does not verify with its issuer's key. */
    BAD_SIGNATURE,
    /** A statement's issuer is not the previous statement's subject. */
    BROKEN_CHAIN,
    /** A signed {@code subject_public_key} is not the key of {@code subject_id}. */
    SUBJECT_KEY_MISMATCH,
    /** Checked before a statement's {@code validity_period.start}. */
    NOT_YET_VALID,
    /** Checked after a statement's {@code validity_period.end}. */
    EXPIRED,
    /** A statement grants an action its issuer was not granted. */
    SCOPE_ESCALATION,
    /** The chain delegates back to an issuer already in it. */
    CYCLE,
    /** The last subject is not the agent asking. */
    WRONG_SUBJECT,
    /** The requested action is not in the last statement's scope. */
    OUT_OF_SCOPE
  }
}
