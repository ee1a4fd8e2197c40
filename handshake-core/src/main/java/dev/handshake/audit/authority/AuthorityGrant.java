package dev.handshake.audit.authority;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an authority grants in one {@link AuthorityStatement}: to whom, which actions, for how long.
 * Scope entries are printable ASCII action names without spaces ({@code execute_order}), kept
 * sorted and unique as the reference writes them.
 *
 * @param subjectKey the subject's public key when the subject is an agent; it is signed into the
 *     statement ({@code subject_public_key}), so the next link of a chain can be verified from the
 *     chain alone, and {@code subjectId} must be its AISS id
 * @param validFrom first second of validity (inclusive)
 * @param validUntil last second of validity (inclusive, as the reference checks it)
 */
public record AuthorityGrant(
    String subjectId,
    Optional<Ed25519PublicKey> subjectKey,
    List<String> scope,
    Instant validFrom,
    Instant validUntil,
    Optional<String> revocationReference) {
  static final int MAX_SCOPE_ENTRIES = 256;
  static final int MAX_TEXT = 256;

  public AuthorityGrant {
    if (subjectId.isEmpty() || subjectId.length() > MAX_TEXT) {
      throw new IllegalArgumentException("subject id must have 1 to " + MAX_TEXT + " characters");
    }
    if (subjectKey.isPresent() && !AgentIds.isAissIdOf(subjectId, subjectKey.get())) {
      throw new IllegalArgumentException("subject id is not the AISS id of the subject key");
    }
    TreeSet<String> sorted = new TreeSet<>(scope);
    if (sorted.isEmpty() || sorted.size() > MAX_SCOPE_ENTRIES) {
      throw new IllegalArgumentException(
          "a grant names 1 to " + MAX_SCOPE_ENTRIES + " scope entries");
    }
    for (String action : sorted) {
      if (action.isEmpty()
          || action.length() > MAX_TEXT
          || !action.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "scope entries are printable ASCII without spaces, 1 to " + MAX_TEXT + " characters");
      }
    }
    scope = List.copyOf(sorted);
    if (validUntil.getEpochSecond() < validFrom.getEpochSecond()) {
      throw new IllegalArgumentException("validUntil is before validFrom");
    }
  }

  /** A grant to the agent holding {@code agent}; its key is carried in the statement. */
  public static AuthorityGrant toAgent(
      Ed25519PublicKey agent, Collection<String> scope, Instant validFrom, Instant validUntil) {
    return new AuthorityGrant(
        AgentIds.aiss(agent),
        Optional.of(agent),
        List.copyOf(scope),
        validFrom,
        validUntil,
        Optional.empty());
  }

  /**
   * A grant to a subject named only by id, as the reference writes statements. A chain can continue
   * from such a subject only if the verifier knows its key ({@link AuthorityTrust}).
   */
  public static AuthorityGrant toSubject(
      String subjectId, Collection<String> scope, Instant validFrom, Instant validUntil) {
    return new AuthorityGrant(
        subjectId, Optional.empty(), List.copyOf(scope), validFrom, validUntil, Optional.empty());
  }

  /** The same grant naming where its revocation is published ({@code revocation_reference}). */
  public AuthorityGrant withRevocationReference(String reference) {
    if (reference.isEmpty() || reference.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "a revocation reference has 1 to " + MAX_TEXT + " characters");
    }
    return new AuthorityGrant(
        subjectId, subjectKey, scope, validFrom, validUntil, Optional.of(reference));
  }
}
