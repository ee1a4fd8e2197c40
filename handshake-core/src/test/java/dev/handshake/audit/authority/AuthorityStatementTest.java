package dev.handshake.audit.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.authority.AuthorityVerdict.Invalid;
import dev.handshake.audit.authority.AuthorityVerdict.Reason;
import dev.handshake.audit.authority.AuthorityVerdict.Valid;
import dev.handshake.audit.authority.AuthorityVerifier.ScopeRule;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 item 10: authority statements (valid, expired, wrong scope, chain). */
class AuthorityStatementTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Instant FROM = NOW.minus(Duration.ofDays(1));
  private static final Instant UNTIL = NOW.plus(Duration.ofDays(30));
  private static final String ROOT = "acme_corp";

  private final SecureRandom random = new SecureRandom();
  private final Ed25519PrivateKey root = key(10);
  private final Ed25519PrivateKey system = key(11);
  private final Ed25519PrivateKey agent = key(12);
  private final AuthorityVerifier verifier =
      AuthorityVerifier.create(AuthorityTrust.root(ROOT, root.publicKey()));

  private static Ed25519PrivateKey key(int fill) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) fill);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  private static String id(Ed25519PrivateKey key) {
    return AgentIds.aiss(key.publicKey());
  }

  private AuthorityStatement fromRoot(Ed25519PrivateKey subject, String... scope) {
    return AuthorityStatement.issueAs(
        root,
        ROOT,
        AuthorityGrant.toAgent(subject.publicKey(), List.of(scope), FROM, UNTIL),
        random);
  }

  private AuthorityStatement from(
      Ed25519PrivateKey issuer, Ed25519PrivateKey subject, String... scope) {
    return AuthorityStatement.issue(
        issuer, AuthorityGrant.toAgent(subject.publicKey(), List.of(scope), FROM, UNTIL), random);
  }

  private static Invalid invalid(AuthorityVerdict verdict) {
    assertThat(verdict).as("expected an invalid chain").isInstanceOf(Invalid.class);
    return (Invalid) verdict;
  }

  private static Optional<String> action(String name) {
    return Optional.of(name);
  }

  /** {@code statement} with {@code edit} applied, re-signed by {@code signer}. */
  private static JsonNode resigned(
      AuthorityStatement statement,
      Ed25519PrivateKey signer,
      java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode json = statement.json();
    json.remove("signature");
    edit.accept(json);
    json.put("signature", Base64Text.encode(signer.sign(CanonicalJson.canonicalize(json))));
    return json;
  }

  @Test
  void item10_aStatementHasTheReferenceFieldsAndOurSubjectKey() {
    AuthorityStatement s = fromRoot(agent, "read_data", "execute_order");
    ObjectNode json = s.json();
    assertThat(json.propertyNames())
        .containsExactly(
            "version",
            "statement_id",
            "issuer_id",
            "subject_id",
            "scope",
            "validity_period",
            "subject_public_key",
            "signature");
    assertThat(json.path("version").stringValue()).isEqualTo("AISS-1.0");
    assertThat(s.statementId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(s.scope())
        .as("sorted like the reference")
        .containsExactly("execute_order", "read_data");
    assertThat(s.validFrom()).isEqualTo(FROM.getEpochSecond());
    assertThat(s.validUntil()).isEqualTo(UNTIL.getEpochSecond());
    assertThat(s.subjectPublicKey()).contains(agent.publicKey());
  }

  @Test
  void item10_ourSigningInputIsTheReferenceCanonicalForm() {
    ObjectNode body = fromRoot(agent, "execute_order").json();
    body.remove("signature");
    assertThat(CanonicalJson.canonicalize(body)).isEqualTo(PythonJson.canonicalize(body));
  }

  @Test
  void item10_authorityValid_aStatementFromATrustedRootAuthorisesTheAgent() {
    AuthorityVerdict verdict =
        verifier.verify(
            List.of(fromRoot(agent, "execute_order", "read_data")),
            id(agent),
            action("execute_order"),
            NOW);
    assertThat(verdict).isInstanceOf(Valid.class);
    Valid valid = (Valid) verdict;
    assertThat(valid.accountableAuthority()).isEqualTo(ROOT);
    assertThat(valid.scope()).containsExactly("execute_order", "read_data");
    assertThat(valid.validUntil()).isEqualTo(UNTIL.getEpochSecond());
  }

  @Test
  void item10_authorityExpired_isRefusedAfterTheEndAndBeforeTheStart() {
    List<AuthorityStatement> chain = List.of(fromRoot(agent, "execute_order"));
    assertThat(verifier.verify(chain, id(agent), action("execute_order"), UNTIL).valid())
        .as("the end second is still valid, as in the reference")
        .isTrue();
    assertThat(
            invalid(
                    verifier.verify(
                        chain, id(agent), action("execute_order"), UNTIL.plusSeconds(1)))
                .reason())
        .isEqualTo(Reason.EXPIRED);
    assertThat(
            invalid(
                    verifier.verify(
                        chain, id(agent), action("execute_order"), FROM.minusSeconds(1)))
                .reason())
        .isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void item10_authorityWrongScope_anActionOutsideTheScopeIsRefused() {
    Invalid result =
        invalid(
            verifier.verify(
                List.of(fromRoot(agent, "execute_order")),
                id(agent),
                action("withdraw_funds"),
                NOW));
    assertThat(result.reason()).isEqualTo(Reason.OUT_OF_SCOPE);
    assertThat(result.detail()).contains("withdraw_funds");
  }

  @Test
  void item10_authorityBrokenChain_anIssuerThatIsNotThePreviousSubjectIsRefused() {
    Ed25519PrivateKey stranger = key(13);
    List<AuthorityStatement> chain =
        List.of(fromRoot(system, "execute_order"), from(stranger, agent, "execute_order"));
    Invalid result = invalid(verifier.verify(chain, id(agent), action("execute_order"), NOW));
    assertThat(result.reason()).isEqualTo(Reason.BROKEN_CHAIN);
    assertThat(result.step()).isEqualTo(1);
  }

  @Test
  void item10_authorityChainOfStatements_rootToSubAuthorityToAgentIsValid() {
    Ed25519PrivateKey team = key(14);
    List<AuthorityStatement> chain =
        List.of(
            fromRoot(system, "execute_order", "read_data"),
            from(system, team, "execute_order", "read_data"),
            from(team, agent, "execute_order"));
    AuthorityVerdict verdict = verifier.verify(chain, id(agent), action("execute_order"), NOW);
    assertThat(verdict).isInstanceOf(Valid.class);
    assertThat(((Valid) verdict).accountableAuthority()).isEqualTo(ROOT);
    assertThat(((Valid) verdict).chain()).hasSize(3);
  }

  @Test
  void item10_aSubAuthorityCannotGrantMoreThanItHolds() {
    List<AuthorityStatement> chain =
        List.of(fromRoot(system, "read_data"), from(system, agent, "execute_order"));
    Invalid result = invalid(verifier.verify(chain, id(agent), action("execute_order"), NOW));
    assertThat(result.reason()).isEqualTo(Reason.SCOPE_ESCALATION);
    assertThat(
            verifier
                .withScopeRule(ScopeRule.LAST_ONLY)
                .verify(chain, id(agent), action("execute_order"), NOW)
                .valid())
        .as("the reference checks only the last scope")
        .isTrue();
  }

  @Test
  void theSignatureIsCheckedBeforeTheScopeIsBelieved() {
    // A widened scope would be SCOPE_ESCALATION if it were read before the signature.
    ObjectNode widened = from(system, agent, "read_data").json();
    widened.putArray("scope").add("execute_order").add("read_data");
    Invalid result =
        invalid(
            verifier.verifyJson(
                List.of(fromRoot(system, "read_data").json(), widened),
                id(agent),
                action("execute_order"),
                NOW));
    assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(result.step()).isEqualTo(1);
  }

  @Test
  void aChainMustStartAtATrustedRoot() {
    Ed25519PrivateKey impostor = key(15);
    AuthorityStatement unknownRoot =
        AuthorityStatement.issueAs(
            impostor,
            "evil_corp",
            AuthorityGrant.toAgent(agent.publicKey(), List.of("execute_order"), FROM, UNTIL),
            random);
    assertThat(
            invalid(verifier.verify(List.of(unknownRoot), id(agent), Optional.empty(), NOW))
                .reason())
        .isEqualTo(Reason.UNTRUSTED_ROOT);
    AuthorityStatement forgedRoot =
        AuthorityStatement.issueAs(
            impostor,
            ROOT,
            AuthorityGrant.toAgent(agent.publicKey(), List.of("execute_order"), FROM, UNTIL),
            random);
    assertThat(
            invalid(verifier.verify(List.of(forgedRoot), id(agent), Optional.empty(), NOW))
                .reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void aSignedSubjectKeyMustBeTheSubjectsKey() {
    JsonNode lying =
        resigned(
            fromRoot(agent, "execute_order"),
            root,
            j -> j.put("subject_public_key", key(16).publicKey().base64()));
    Invalid result = invalid(verifier.verifyJson(List.of(lying), id(agent), Optional.empty(), NOW));
    assertThat(result.reason()).isEqualTo(Reason.SUBJECT_KEY_MISMATCH);
  }

  @Test
  void aReferenceStyleSubjectNeedsAKnownKeyAndOnlyItsOwnKeyIsAccepted() {
    AuthorityStatement toSystem =
        AuthorityStatement.issueAs(
            root,
            ROOT,
            AuthorityGrant.toSubject(id(system), List.of("execute_order"), FROM, UNTIL),
            random);
    List<AuthorityStatement> chain = List.of(toSystem, from(system, agent, "execute_order"));
    assertThat(invalid(verifier.verify(chain, id(agent), Optional.empty(), NOW)).reason())
        .isEqualTo(Reason.UNKNOWN_ISSUER_KEY);
    AuthorityVerifier knowing =
        AuthorityVerifier.create(
            AuthorityTrust.root(ROOT, root.publicKey())
                .withKnownAgents(List.of(system.publicKey())));
    assertThat(knowing.verify(chain, id(agent), Optional.empty(), NOW).valid()).isTrue();
    assertThatThrownBy(() -> new AuthorityTrust(Map.of(), Map.of(id(system), key(17).publicKey())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theChainMustEndAtTheAgentAsking() {
    Invalid result =
        invalid(
            verifier.verify(
                List.of(fromRoot(agent, "execute_order")), id(system), Optional.empty(), NOW));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_SUBJECT);
  }

  @Test
  void aChainThatDelegatesBackToAnIssuerIsACycle() {
    List<AuthorityStatement> chain =
        List.of(
            fromRoot(system, "execute_order"),
            from(system, agent, "execute_order"),
            from(agent, system, "execute_order"));
    Invalid result = invalid(verifier.verify(chain, id(system), Optional.empty(), NOW));
    assertThat(result.reason()).isEqualTo(Reason.CYCLE);
    assertThat(result.step()).isEqualTo(2);
  }

  @Test
  void chainsAreBoundedBeforeAnyStatementIsRead() {
    List<JsonNode> long9 = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      long9.add(Json.object());
    }
    Invalid result = invalid(verifier.verifyJson(long9, id(agent), Optional.empty(), NOW));
    assertThat(result.reason()).isEqualTo(Reason.CHAIN_TOO_LONG);
    assertThat(invalid(verifier.verifyJson(List.of(), id(agent), Optional.empty(), NOW)).reason())
        .isEqualTo(Reason.EMPTY_CHAIN);
    assertThatThrownBy(() -> verifier.withMaxLength(AuthorityVerifier.MAX_LENGTH_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStatementWithoutAValidityPeriodIsMalformed() {
    ObjectNode json = fromRoot(agent, "execute_order").json();
    json.remove("validity_period");
    Invalid result = invalid(verifier.verifyJson(List.of(json), id(agent), Optional.empty(), NOW));
    assertThat(result.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(result.step()).isZero();
  }

  @Test
  void item10_theReferencesTwoLevelChainVerifiesUnderItsOwnScopeRuleOnly() throws IOException {
    JsonNode fixture;
    try (InputStream in =
        getClass().getResourceAsStream("/vectors/aiss-cert/authority-chain.json")) {
      fixture = CanonicalJson.parse(in.readAllBytes());
    }
    Ed25519PublicKey rootKey =
        Ed25519PublicKey.of(
            Base64Text.decodeStrict(fixture.path("root_public_key").stringValue()).orElseThrow());
    Ed25519PublicKey agentA =
        Ed25519PrivateKey.fromSeed(
                java.util.HexFormat.of()
                    .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
            .publicKey();
    List<JsonNode> chain = new ArrayList<>();
    fixture.path("statements").forEach(chain::add);
    String agentB = "4uGkom8VQM2v7s7VPyBrqhFL8a1rFsU2";
    Instant at = Instant.ofEpochSecond(1767225600L + 10 * 86400);
    AuthorityTrust trust = AuthorityTrust.root("acme_corp", rootKey);

    assertThat(
            invalid(
                    AuthorityVerifier.create(trust)
                        .verifyJson(chain, agentB, action("execute_order"), at))
                .reason())
        .as("reference statements carry no subject key")
        .isEqualTo(Reason.UNKNOWN_ISSUER_KEY);
    AuthorityTrust knowing = trust.withKnownAgents(List.of(agentA));
    assertThat(
            invalid(
                    AuthorityVerifier.create(knowing)
                        .verifyJson(chain, agentB, action("execute_order"), at))
                .reason())
        .as("\"operate\" does not contain \"execute_order\"")
        .isEqualTo(Reason.SCOPE_ESCALATION);
    AuthorityVerdict reference =
        AuthorityVerifier.create(knowing)
            .withScopeRule(ScopeRule.LAST_ONLY)
            .verifyJson(chain, agentB, action("execute_order"), at);
    assertThat(reference).isInstanceOf(Valid.class);
    assertThat(((Valid) reference).accountableAuthority()).isEqualTo("acme_corp");
  }
}
