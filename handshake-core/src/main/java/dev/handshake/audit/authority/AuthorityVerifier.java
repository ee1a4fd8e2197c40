package dev.handshake.audit.authority;

import dev.handshake.audit.authority.AuthorityVerdict.Invalid;
import dev.handshake.audit.authority.AuthorityVerdict.Reason;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks an authority chain, root first: {@code root → … → agent}. Per statement, in order:
 *
 * <ol>
 *   <li>the issuer's key — a configured root for the first statement; for later ones the previous
 *       statement's signed {@code subject_public_key}, else a root or known agent key ({@link
 *       AuthorityTrust}), and the issuer must be the previous statement's subject;
 *   <li>the signature, before anything else in the statement is believed;
 *   <li>{@code subject_public_key}, if present, derives {@code subject_id};
 *   <li>{@code start <= at <= end} (inclusive, as the reference);
 *   <li>with {@link ScopeRule#ATTENUATE}, the scope is within the previous statement's;
 *   <li>no issuer appears twice.
 * </ol>
 *
 * Then the last subject must be the agent and the requested action in the last scope. Chains are
 * bounded ({@link #DEFAULT_MAX_LENGTH}) before any signature is checked.
 *
 * <p>Differences from the reference's {@code validate_authority_chain}: it verifies every key from
 * one caller-supplied map and never checks that the last subject is the agent in question; any
 * intermediate may grant actions it was never granted (only the last scope is checked, {@link
 * ScopeRule#LAST_ONLY}); a timestamp of 0 means "now"; every failure is {@code VALID_UNAUTHORIZED}.
 *
 * <pre>{@code
 * AuthorityVerdict verdict =
 *     AuthorityVerifier.create(AuthorityTrust.root("acme_corp", acmeKey))
 *         .verify(chain, agentId, Optional.of("execute_order"), Instant.now());
 * }</pre>
 */
public final class AuthorityVerifier {
  /** Longest chain accepted unless configured otherwise. */
  public static final int DEFAULT_MAX_LENGTH = 8;

  /** No configuration accepts longer chains. */
  public static final int MAX_LENGTH_LIMIT = 64;

  /** How scopes along a chain relate. */
  public enum ScopeRule {
    /** Each statement's scope is a subset of the previous one's: nobody grants more than held. */
    ATTENUATE,
    /** Only the last statement's scope matters (the reference; compatibility). */
    LAST_ONLY
  }

  private final AuthorityTrust trust;
  private final int maxLength;
  private final ScopeRule scopeRule;

  private AuthorityVerifier(AuthorityTrust trust, int maxLength, ScopeRule scopeRule) {
    this.trust = trust;
    this.maxLength = maxLength;
    this.scopeRule = scopeRule;
  }

  /** A verifier with {@link #DEFAULT_MAX_LENGTH} and {@link ScopeRule#ATTENUATE}. */
  public static AuthorityVerifier create(AuthorityTrust trust) {
    return new AuthorityVerifier(trust, DEFAULT_MAX_LENGTH, ScopeRule.ATTENUATE);
  }

  public AuthorityVerifier withMaxLength(int maxLength) {
    if (maxLength < 1 || maxLength > MAX_LENGTH_LIMIT) {
      throw new IllegalArgumentException("max chain length must be 1 to " + MAX_LENGTH_LIMIT);
    }
    return new AuthorityVerifier(trust, maxLength, scopeRule);
  }

  public AuthorityVerifier withScopeRule(ScopeRule rule) {
    return new AuthorityVerifier(trust, maxLength, rule);
  }

  /**
   * Whether {@code chain} (root first) lets {@code agentId} act at {@code at}, and, when {@code
   * action} is given, perform it.
   */
  public AuthorityVerdict verify(
      List<AuthorityStatement> chain, String agentId, Optional<String> action, Instant at) {
    return verifyJson(chain.stream().map(AuthorityStatement::json).toList(), agentId, action, at);
  }

  /** {@link #verify} for statements as JSON; each is read only when the chain reaches it. */
  public AuthorityVerdict verifyJson(
      List<? extends JsonNode> chain, String agentId, Optional<String> action, Instant at) {
    if (chain.isEmpty()) {
      return new Invalid(Reason.EMPTY_CHAIN, -1, "no authority statements");
    }
    if (chain.size() > maxLength) {
      return new Invalid(
          Reason.CHAIN_TOO_LONG,
          -1,
          chain.size() + " statements; at most " + maxLength + " are accepted");
    }
    long now = at.getEpochSecond();
    List<AuthorityStatement> verified = new ArrayList<>(chain.size());
    Set<String> issuers = new HashSet<>();
    long validUntil = Long.MAX_VALUE;
    for (int i = 0; i < chain.size(); i++) {
      AuthorityStatement statement;
      try {
        statement = AuthorityStatement.parse(chain.get(i));
      } catch (AuthorityStatement.InvalidStatementException e) {
        return new Invalid(Reason.MALFORMED, i, e.getMessage());
      }
      Optional<AuthorityStatement> previous =
          verified.isEmpty() ? Optional.empty() : Optional.of(verified.getLast());
      if (previous.isPresent() && !previous.get().subjectId().equals(statement.issuerId())) {
        return new Invalid(
            Reason.BROKEN_CHAIN,
            i,
            "issuer "
                + shown(statement.issuerId())
                + " is not the previous subject "
                + shown(previous.get().subjectId()));
      }
      Optional<Ed25519PublicKey> key =
          previous.isEmpty()
              ? trust.root(statement.issuerId())
              : previous.get().subjectPublicKey().or(() -> trust.issuer(statement.issuerId()));
      if (key.isEmpty()) {
        return previous.isEmpty()
            ? new Invalid(
                Reason.UNTRUSTED_ROOT,
                i,
                "issuer " + shown(statement.issuerId()) + " is not a trusted root")
            : new Invalid(
                Reason.UNKNOWN_ISSUER_KEY,
                i,
                "no key for issuer "
                    + shown(statement.issuerId())
                    + " (the previous statement carries no subject_public_key)");
      }
      if (!statement.signedBy(key.get())) {
        return new Invalid(
            Reason.BAD_SIGNATURE,
            i,
            "signature does not verify with the key of " + shown(statement.issuerId()));
      }
      // Signed by the issuer: from here on the statement's content is the issuer's word.
      Optional<Invalid> problem = checkSigned(statement, previous, issuers, now, i);
      if (problem.isPresent()) {
        return problem.get();
      }
      validUntil = Math.min(validUntil, statement.validUntil());
      verified.add(statement);
    }
    AuthorityStatement last = verified.getLast();
    if (!last.subjectId().equals(agentId)) {
      return new Invalid(
          Reason.WRONG_SUBJECT,
          verified.size() - 1,
          "the chain ends at " + shown(last.subjectId()) + ", not at " + shown(agentId));
    }
    if (action.isPresent() && !last.scope().contains(action.get())) {
      return new Invalid(
          Reason.OUT_OF_SCOPE,
          verified.size() - 1,
          "action " + shown(action.get()) + " is not in scope " + shownList(last.scope()));
    }
    return new AuthorityVerdict.Valid(
        verified.getFirst().issuerId(), agentId, last.scope(), validUntil, verified);
  }

  private Optional<Invalid> checkSigned(
      AuthorityStatement statement,
      Optional<AuthorityStatement> previous,
      Set<String> issuers,
      long now,
      int i) {
    if (statement.subjectPublicKey().isPresent()
        && !AgentIds.isAissIdOf(statement.subjectId(), statement.subjectPublicKey().get())) {
      return Optional.of(
          new Invalid(
              Reason.SUBJECT_KEY_MISMATCH,
              i,
              "subject_public_key is not the key of subject " + shown(statement.subjectId())));
    }
    if (now < statement.validFrom()) {
      return Optional.of(
          new Invalid(
              Reason.NOT_YET_VALID,
              i,
              "valid from "
                  + Instant.ofEpochSecond(statement.validFrom())
                  + ", checked at "
                  + Instant.ofEpochSecond(now)));
    }
    if (now > statement.validUntil()) {
      return Optional.of(
          new Invalid(
              Reason.EXPIRED,
              i,
              "valid until "
                  + Instant.ofEpochSecond(statement.validUntil())
                  + ", checked at "
                  + Instant.ofEpochSecond(now)));
    }
    if (scopeRule == ScopeRule.ATTENUATE && previous.isPresent()) {
      Set<String> added = new LinkedHashSet<>(statement.scope());
      added.removeAll(previous.get().scope());
      if (!added.isEmpty()) {
        return Optional.of(
            new Invalid(
                Reason.SCOPE_ESCALATION,
                i,
                shown(statement.issuerId())
                    + " grants "
                    + shownList(List.copyOf(added))
                    + " beyond its own scope "
                    + shownList(previous.get().scope())));
      }
    }
    issuers.add(statement.issuerId());
    if (issuers.contains(statement.subjectId())) {
      return Optional.of(
          new Invalid(
              Reason.CYCLE,
              i,
              "delegates back to " + shown(statement.subjectId()) + ", already an issuer"));
    }
    return Optional.empty();
  }

  /** Text from a statement, safe to print: quoted, cut, non-printable characters replaced. */
  private static String shown(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
    return "'" + cut.replaceAll("[^\\x20-\\x7e…]", "?") + "'";
  }

  private static String shownList(List<String> items) {
    List<String> shown = items.stream().limit(8).map(AuthorityVerifier::shown).toList();
    return "[" + String.join(", ", shown) + (items.size() > 8 ? ", …" : "") + "]";
  }
}
