package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.delegation.CapabilityChainResult.Invalid;
import dev.handshake.delegation.CapabilityChainResult.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** trusthandoff.md §4 items 14, 20, 21 and 28: capability chains, reference and ours. */
class CapabilityChainTest {
  private static final Clock IN_2050 = at("2050-01-01T00:00:00Z");
  private static final String A = HandoffVectors.agentId("A");
  private static final String C = HandoffVectors.agentId("C");
  private static final Predicate<String> NOTHING_REVOKED = id -> false;

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private static Function<String, Optional<String>> registryAbc() {
    Map<String, String> registry = HandoffVectors.registryAbc();
    return id -> Optional.ofNullable(registry.get(id));
  }

  private static CapabilityChainPolicy ours(Clock clock) {
    return CapabilityChainPolicy.of(
        IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()), Set.of(A), clock);
  }

  private static CapabilityChainResult verifyOurs(List<DelegationCapability> chain) {
    return CapabilityChainVerifier.of(ours(IN_2050)).verify(chain, C);
  }

  private static List<DelegationCapability> vectorChain() throws MalformedPacketException {
    List<DelegationCapability> chain = new ArrayList<>();
    for (String id : List.of("cap-vec-1", "cap-vec-2")) {
      chain.add(
          DelegationCapability.parse(
              HandoffVectors.wire(
                  HandoffVectors.capability(id).path("capability_json").stringValue())));
    }
    return chain;
  }

  private static List<DelegationCapability> negativeChain(String name)
      throws MalformedPacketException {
    List<DelegationCapability> chain = new ArrayList<>();
    for (JsonNode json : HandoffVectors.negativeCase(name).path("capabilities_json")) {
      chain.add(DelegationCapability.parse(HandoffVectors.wire(json.stringValue())));
    }
    return chain;
  }

  private static JsonNode referenceResults(String name) {
    return HandoffVectors.negativeCase(name).path("python_results").path("0.2.3");
  }

  @Test
  @DisplayName("item 20: [cap-vec-1, cap-vec-2] verifies with root A as trust anchor, both modes")
  void item20_vectorChainVerifiesInBothModes() throws Exception {
    List<DelegationCapability> chain = vectorChain();
    assertThat(verifyOurs(chain)).isEqualTo(new CapabilityChainResult.Valid(chain));
    assertThat(ReferenceCapabilityChain.verify(chain, registryAbc(), NOTHING_REVOKED).valid())
        .isTrue();
    assertThat(ReferenceCapabilityChain.verify(chain, NOTHING_REVOKED).valid()).isTrue();
  }

  @Test
  void theVectorChainVerifiesThroughoutItsWindowAndNotOutsideIt() throws Exception {
    List<DelegationCapability> chain = vectorChain();
    var early = CapabilityChainVerifier.of(ours(at("2026-01-01T12:00:30Z"))).verify(chain, C);
    var late = CapabilityChainVerifier.of(ours(at("2099-06-30T00:00:00Z"))).verify(chain, C);
    var tooEarly = CapabilityChainVerifier.of(ours(at("2026-01-01T11:59:29Z"))).verify(chain, C);
    var tooLate = CapabilityChainVerifier.of(ours(at("2099-06-30T00:00:01Z"))).verify(chain, C);
    assertThat(early.valid()).as("issued_at within the 30 s skew").isTrue();
    assertThat(late.valid()).as("expiry instant itself").isTrue();
    assertThat(tooEarly).isEqualTo(new Invalid(Reason.INVALID_CHAIN, 0, "issued in the future"));
    assertThat(tooLate).isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "expired"));
  }

  @ParameterizedTest
  @CsvSource({
    "N14, INVALID_CHAIN, signature does not verify",
    "N15, POLICY_VIOLATION, adds actions [write]",
    "N16, INVALID_CHAIN, expires after its parent",
    "N17, INVALID_CHAIN, parent_capability_id mismatch"
  })
  @DisplayName("item 21: N14–N17 capability chains are invalid in both modes")
  void item21_negativeCapabilityChainsAreInvalidInBothModes(
      String name, Reason reason, String detail) throws Exception {
    List<DelegationCapability> chain = negativeChain(name);
    assertThat(referenceResults(name).path("verify_capability_chain_registry_ABC").booleanValue())
        .isFalse();

    assertThat(ReferenceCapabilityChain.verify(chain, registryAbc(), NOTHING_REVOKED).valid())
        .as("reference mode with registry A, B, C")
        .isFalse();
    assertThat(verifyOurs(chain)).isEqualTo(new Invalid(reason, 1, detail));
  }

  @ParameterizedTest
  @ValueSource(strings = {"N14", "N15", "N16", "N17", "N18"})
  void withoutARegistryTheReferenceChecksDerivationOnlyAsItsResultsRecord(String name)
      throws Exception {
    boolean expected = referenceResults(name).path("validate_capability_chain").booleanValue();
    assertThat(ReferenceCapabilityChain.verify(negativeChain(name), NOTHING_REVOKED).valid())
        .as("N14's forged subject passes: no signature is checked without a registry")
        .isEqualTo(expected);
  }

  @Test
  @DisplayName("item 28: N18 (expired in 2020) is valid for the reference, expired for us")
  void item28_expiredCapabilityIsValidOnlyForTheReference() throws Exception {
    List<DelegationCapability> chain = negativeChain("N18");
    assertThat(referenceResults("N18").path("verify_capability_chain_registry_ABC").booleanValue())
        .isTrue();
    assertThat(ReferenceCapabilityChain.verify(chain, registryAbc(), NOTHING_REVOKED).valid())
        .isTrue();
    assertThat(verifyOurs(chain)).isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "expired"));
  }

  @Test
  @DisplayName("item 14: registry chain — unknown issuer fails")
  void item14_unknownIssuerFailsWithARegistry() throws Exception {
    List<DelegationCapability> chain = vectorChain();
    Map<String, String> withoutB = new HashMap<>(HandoffVectors.registryAbc());
    withoutB.remove(HandoffVectors.agentId("B"));

    var reference =
        ReferenceCapabilityChain.verify(
            chain, id -> Optional.ofNullable(withoutB.get(id)), NOTHING_REVOKED);
    var registryOnly =
        CapabilityChainVerifier.of(
                new CapabilityChainPolicy(
                    IssuerKeys.registry(withoutB),
                    Set.of(A),
                    IN_2050,
                    CapabilityChainPolicy.DEFAULT_SKEW,
                    5,
                    NOTHING_REVOKED,
                    Attenuation.strict()))
            .verify(chain, C);
    assertThat(reference)
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "issuer not registered with this key"));
    assertThat(registryOnly)
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "public_key is not bound to issuer_agent"));
  }

  @Test
  void aRegisteredIssuerWithAnotherKeyFailsEvenThoughItsIdIsDerived() throws Exception {
    Map<String, String> bHasXsKey = new HashMap<>(HandoffVectors.registryAbc());
    bHasXsKey.put(HandoffVectors.agentId("B"), HandoffVectors.pem("X"));
    var result =
        CapabilityChainVerifier.of(
                CapabilityChainPolicy.of(
                    IssuerKeys.registryOrDerived(bHasXsKey), Set.of(A), IN_2050))
            .verify(vectorChain(), C);
    assertThat(result)
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "public_key is not bound to issuer_agent"));
  }

  @Test
  void withoutRegistryEntriesDerivedIdsBindTheirOwnKeys() throws Exception {
    var result =
        CapabilityChainVerifier.of(
                CapabilityChainPolicy.of(IssuerKeys.derived(), Set.of(A), IN_2050))
            .verify(vectorChain(), C);
    assertThat(result.valid()).isTrue();
  }

  @Test
  @DisplayName("item 14: registry chain — a revoked capability fails in both modes")
  void item14_revokedCapabilityFails() throws Exception {
    List<DelegationCapability> chain = vectorChain();
    Predicate<String> revoked = Set.of("cap-vec-1")::contains;
    assertThat(ReferenceCapabilityChain.verify(chain, registryAbc(), revoked))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 0, "capability revoked"));
    assertThat(ReferenceCapabilityChain.verify(chain, revoked).valid()).isFalse();
    assertThat(CapabilityChainVerifier.of(ours(IN_2050).withRevoked(revoked)).verify(chain, C))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 0, "capability revoked"));
  }

  @Test
  void theRootIssuerMustBeATrustAnchor() throws Exception {
    var result =
        CapabilityChainVerifier.of(
                CapabilityChainPolicy.of(
                    IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                    Set.of(HandoffVectors.agentId("B")),
                    IN_2050))
            .verify(vectorChain(), C);
    assertThat(result)
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 0, "root issuer is not a trust anchor"));
  }

  @Test
  void aChainWhoseRootNamesAParentIsIncomplete() throws Exception {
    List<DelegationCapability> leafOnly = vectorChain().subList(1, 2);
    var result =
        CapabilityChainVerifier.of(
                CapabilityChainPolicy.of(
                    IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                    Set.of(HandoffVectors.agentId("B")),
                    IN_2050))
            .verify(leafOnly, C);
    assertThat(result)
        .isEqualTo(
            new Invalid(Reason.INVALID_CHAIN, 0, "parent capability missing from the chain"));
  }

  @Test
  void theLeafMustBeForTheExpectedSubject() throws Exception {
    var result =
        CapabilityChainVerifier.of(ours(IN_2050))
            .verify(vectorChain(), HandoffVectors.agentId("X"));
    assertThat(result)
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "leaf subject is not the expected agent"));
  }

  @Test
  void emptyAndOverlongChainsAreInvalidAsAWhole() throws Exception {
    assertThat(verifyOurs(List.of()))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, -1, "no capabilities"));
    assertThat(CapabilityChainVerifier.of(ours(IN_2050).withMaxLength(1)).verify(vectorChain(), C))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, -1, "chain of 2 is longer than 1"));
  }

  @Test
  void aSignatureWithJunkCharactersIsRefusedByOursAndAcceptedByTheReference() throws Exception {
    List<DelegationCapability> chain = new ArrayList<>(vectorChain());
    chain.set(1, chain.get(1).withSignature("!!" + chain.get(1).signature()));
    assertThat(ReferenceCapabilityChain.verify(chain, registryAbc(), NOTHING_REVOKED).valid())
        .isTrue();
    assertThat(verifyOurs(chain))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "signature does not verify"));
  }

  @Test
  void theReasonsAreTheSpecsWording() {
    assertThat(Reason.INVALID_CHAIN.text()).isEqualTo("Invalid delegation chain");
    assertThat(Reason.POLICY_VIOLATION.text()).isEqualTo("Delegation policy violation");
  }
}
