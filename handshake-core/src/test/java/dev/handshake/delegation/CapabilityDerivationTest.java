package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.delegation.CapabilityChainResult.Invalid;
import dev.handshake.delegation.CapabilityChainResult.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** trusthandoff.md §4 item 14 and §3 item 5: our derive helper and 3-hop chains. */
class CapabilityDerivationTest {
  private static final String A = HandoffVectors.agentId("A");
  private static final String B = HandoffVectors.agentId("B");
  private static final String C = HandoffVectors.agentId("C");
  private static final String X = HandoffVectors.agentId("X");
  private static final HandoffTime T0 = time("2026-01-01T12:00:00Z");
  private static final HandoffTime T1 = time("2026-01-01T12:01:00Z");
  private static final HandoffTime END = time("2099-12-31T00:00:00Z");
  private static final HandoffTime EARLIER_END = time("2099-06-30T00:00:00Z");
  private static final Clock IN_2050 =
      Clock.fixed(Instant.parse("2050-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Optional<Constraints> EU_60 =
      Optional.of(new Constraints(Optional.of(60L), Optional.of("eu")));

  private static HandoffTime time(String text) {
    return HandoffTime.parse(text).orElseThrow();
  }

  private static CapabilityChainVerifier verifier() {
    // No registry entries: every id here is derived from its key, which is what binds it.
    return CapabilityChainVerifier.of(
        CapabilityChainPolicy.of(IssuerKeys.registryOrDerived(Map.of()), Set.of(A), IN_2050));
  }

  private static DelegationCapability rootAtoB() {
    return CapabilityDerivation.root(
        A,
        new CapabilityGrant(
            "cap-root",
            B,
            Permissions.of(List.of("read", "search", "summarize"), 5),
            EU_60,
            T0,
            END),
        HandoffVectors.key("A"));
  }

  private static CapabilityGrant grant(String id, String subject, Permissions permissions) {
    return new CapabilityGrant(id, subject, permissions, EU_60, T1, EARLIER_END);
  }

  @Test
  @DisplayName(
      "item 14: derivation — a narrower child is signed by the deriving issuer and verifies")
  void item14_derivedChildVerifies() {
    DelegationCapability root = rootAtoB();
    DelegationCapability child =
        CapabilityDerivation.derive(
            root,
            grant("cap-child", C, Permissions.of(List.of("search"), 2)),
            HandoffVectors.key("B"));

    assertThat(child.issuerAgent()).isEqualTo(B);
    assertThat(child.publicKey()).isEqualTo(HandoffVectors.pem("B"));
    assertThat(child.parentCapabilityId()).contains("cap-root");
    assertThat(CapabilitySignatures.verify(child, PacketSignatures.Decoding.STRICT, true)).isTrue();
    assertThat(verifier().verify(List.of(root, child), C).valid()).isTrue();
  }

  @Test
  @DisplayName("item 14: derivation — escalations are refused, not signed")
  void item14_escalationIsRefused() {
    DelegationCapability root = rootAtoB();
    var key = HandoffVectors.key("B");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root, grant("c", C, Permissions.of(List.of("read", "write", "admin"), 2)), key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("adds actions [write, admin]");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root, grant("c", C, Permissions.of(List.of("read"), 99)), key))
        .hasMessageContaining("max_tool_calls 5 -> 99");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root, grant("c", C, new Permissions(List.of("read"), Optional.empty())), key))
        .hasMessageContaining("max_tool_calls 5 -> unlimited");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root,
                new CapabilityGrant(
                    "c",
                    C,
                    Permissions.of(List.of("read"), 1),
                    EU_60,
                    T1,
                    time("2100-01-01T00:00:00Z")),
                key))
        .hasMessageContaining("expires after its parent");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root,
                new CapabilityGrant(
                    "c",
                    C,
                    Permissions.of(List.of("read"), 1),
                    Optional.of(new Constraints(Optional.of(60L), Optional.of("us"))),
                    T1,
                    EARLIER_END),
                key))
        .hasMessageContaining("data_boundary eu -> us");
    assertThatThrownBy(() ->
            CapabilityDerivation.derive(
                root,
                new CapabilityGrant(
                    "c",
                    C,
                    Permissions.of(List.of("read"), 1),
                    EU_60,
                    time("2025-01-01T00:00:00Z"),
                    EARLIER_END),
                key))
        .hasMessageContaining("issued before its parent");
  }

  @Test
  @DisplayName("item 14: a chain of 3 is valid; an escalation in the middle is a policy violation")
  void item14_chainOfThreeAndEscalationInTheMiddle() {
    DelegationCapability root = rootAtoB();
    DelegationCapability middle =
        CapabilityDerivation.derive(
            root,
            grant("cap-2", C, Permissions.of(List.of("read", "search"), 3)),
            HandoffVectors.key("B"));
    DelegationCapability leaf =
        CapabilityDerivation.derive(
            middle,
            grant("cap-3", X, Permissions.of(List.of("search"), 1)),
            HandoffVectors.key("C"));
    assertThat(verifier().verify(List.of(root, middle, leaf), X).valid()).isTrue();

    // Signed by hand, because derive() refuses to: B adds "write" in the middle of the chain.
    DelegationCapability escalated =
        CapabilitySignatures.sign(
            new DelegationCapability(
                "cap-2",
                B,
                C,
                Permissions.of(List.of("read", "search", "write"), 3),
                EU_60,
                T1,
                EARLIER_END,
                Optional.of("cap-root"),
                "Ed25519",
                "",
                HandoffVectors.pem("B")),
            HandoffVectors.key("B"));
    DelegationCapability leafOfEscalated =
        CapabilityDerivation.derive(
            escalated,
            grant("cap-3", X, Permissions.of(List.of("write"), 1)),
            HandoffVectors.key("C"));
    List<DelegationCapability> chain = List.of(root, escalated, leafOfEscalated);

    assertThat(verifier().verify(chain, X))
        .isEqualTo(new Invalid(Reason.POLICY_VIOLATION, 1, "adds actions [write]"));
    assertThat(ReferenceCapabilityChain.verify(chain, id -> false))
        .isEqualTo(new Invalid(Reason.POLICY_VIOLATION, 1, "adds actions [write]"));
  }

  @Test
  void aChildThatLoosensConstraintsIsAPolicyViolationForUsOnly() {
    DelegationCapability root = rootAtoB();
    DelegationCapability loose =
        CapabilitySignatures.sign(
            new DelegationCapability(
                "cap-2",
                B,
                C,
                Permissions.of(List.of("read"), 1),
                Optional.of(new Constraints(Optional.of(600L), Optional.of("eu"))),
                T1,
                EARLIER_END,
                Optional.of("cap-root"),
                "Ed25519",
                "",
                HandoffVectors.pem("B")),
            HandoffVectors.key("B"));
    assertThat(verifier().verify(List.of(root, loose), C))
        .isEqualTo(new Invalid(Reason.POLICY_VIOLATION, 1, "max_runtime_seconds 60 -> 600"));
    assertThat(ReferenceCapabilityChain.verify(List.of(root, loose), id -> false).valid()).isTrue();
  }

  @Test
  void aChildSignedByAnyoneButTheParentsSubjectDoesNotVerify() {
    DelegationCapability root = rootAtoB();
    // X derives from B's capability with its own key: signature fine, binding to B is not.
    DelegationCapability forged =
        CapabilityDerivation.derive(
            root, grant("cap-2", C, Permissions.of(List.of("read"), 1)), HandoffVectors.key("X"));
    assertThat(verifier().verify(List.of(root, forged), C))
        .isEqualTo(new Invalid(Reason.INVALID_CHAIN, 1, "public_key is not bound to issuer_agent"));
  }

  @Test
  void anInvertedWindowIsRefused() {
    assertThatThrownBy(() ->
            CapabilityDerivation.root(
                A,
                CapabilityGrant.of("r", B, Permissions.of(List.of("read"), 1), END, T0),
                HandoffVectors.key("A")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after expires_at");
  }
}
