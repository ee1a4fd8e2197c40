package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** trusthandoff.md §4 items 10, 21 and 27: permissions and constraints only narrow. */
class AttenuationTest {
  private static final Attenuation OURS = Attenuation.strict();
  private static final Attenuation REFERENCE = Attenuation.reference();

  /** The hops' delegated permissions of a "chain" negative case. */
  private static List<Permissions> hops(String name) throws MalformedPacketException {
    JsonNode chain =
        HandoffVectors.wire(HandoffVectors.negativeCase(name).path("chain_json").stringValue());
    List<Permissions> hops = new ArrayList<>();
    for (JsonNode hop : chain.path("hops")) {
      hops.add(ModelFields.permissions(hop.path("delegated_permissions"), "hop"));
    }
    return hops;
  }

  private static boolean referenceResult(String name) {
    return HandoffVectors.negativeCase(name)
        .path("python_results")
        .path("0.2.3")
        .path("validate_delegation_chain")
        .booleanValue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"N11", "N12"})
  @DisplayName("item 21: N11 and N12 hop chains are invalid in both modes")
  void item21_escalatingHopChainsAreInvalidInBothModes(String name) throws Exception {
    assertThat(referenceResult(name)).isFalse();
    assertThat(REFERENCE.hops(hops(name)))
        .get()
        .extracting(Attenuation.Violation::index)
        .isEqualTo(1);
    assertThat(OURS.hops(hops(name))).get().extracting(Attenuation.Violation::index).isEqualTo(1);
  }

  @Test
  @DisplayName("item 27: N13 (3 -> null tool calls) is valid for the reference, a violation for us")
  void item27_nullUnderANumericParentIsAViolationOnlyForUs() throws Exception {
    assertThat(referenceResult("N13")).isTrue();
    assertThat(REFERENCE.hops(hops("N13"))).isEmpty();
    assertThat(OURS.hops(hops("N13")))
        .contains(new Attenuation.Violation(1, "max_tool_calls 3 -> unlimited"));
    assertThat(Attenuation.of(true).hops(hops("N13"))).isEmpty();
    assertThat(Attenuation.of(false).hops(hops("N13"))).isPresent();
  }

  @Test
  @DisplayName("item 10: subset with fewer calls, equal, added action, 2 -> 5 calls")
  void item10_scopeCheck() {
    Permissions parent = Permissions.of(List.of("read", "search"), 2);
    for (Attenuation mode : List.of(REFERENCE, OURS)) {
      assertThat(mode.permissions(parent, Permissions.of(List.of("search"), 1))).isEmpty();
      assertThat(mode.permissions(parent, parent)).isEmpty();
      assertThat(mode.permissions(parent, Permissions.of(List.of("search", "write"), 1)))
          .contains("adds actions [write]");
      assertThat(mode.permissions(parent, Permissions.of(List.of("read"), 5)))
          .contains("max_tool_calls 2 -> 5");
    }
  }

  @Test
  @DisplayName("item 10: a 3-hop monotonic chain is valid, adding write is not")
  void item10_threeHopChain() {
    Permissions a = Permissions.of(List.of("read", "search", "summarize"), 5);
    Permissions b = Permissions.of(List.of("read", "search"), 3);
    Permissions c = Permissions.of(List.of("search"), 1);
    assertThat(OURS.hops(List.of(a, b, c))).isEmpty();
    assertThat(OURS.hops(List.of(a, b, Permissions.of(List.of("search", "write"), 1))))
        .get()
        .extracting(Attenuation.Violation::index)
        .isEqualTo(2);
    assertThat(OURS.hops(List.of())).isEmpty();
    assertThat(OURS.hops(List.of(a))).isEmpty();
  }

  @Test
  void actionsAreComparedAsExactStringSetsIgnoringOrderAndDuplicates() {
    Permissions parent = Permissions.of(List.of("read", "search"), 2);
    assertThat(OURS.permissions(parent, Permissions.of(List.of("search", "read", "read"), 2)))
        .isEmpty();
    assertThat(OURS.permissions(parent, Permissions.of(List.of("Read"), 2))).isPresent();
    assertThat(OURS.permissions(parent, Permissions.of(List.of("read*"), 2))).isPresent();
  }

  @Test
  void anUnlimitedParentAllowsAnyChildLimit() {
    Permissions parent = new Permissions(List.of("read"), Optional.empty());
    assertThat(OURS.permissions(parent, Permissions.of(List.of("read"), 1_000))).isEmpty();
    assertThat(OURS.permissions(parent, parent)).isEmpty();
  }

  @Test
  void constraintsNarrowForUsAndAreIgnoredByTheReference() {
    Optional<Constraints> parent =
        Optional.of(new Constraints(Optional.of(60L), Optional.of("eu")));
    Optional<Constraints> tighter =
        Optional.of(new Constraints(Optional.of(30L), Optional.of("eu")));
    Optional<Constraints> longer =
        Optional.of(new Constraints(Optional.of(90L), Optional.of("eu")));
    Optional<Constraints> elsewhere =
        Optional.of(new Constraints(Optional.of(30L), Optional.of("us")));
    Optional<Constraints> unbounded =
        Optional.of(new Constraints(Optional.empty(), Optional.of("eu")));

    assertThat(OURS.constraints(parent, tighter)).isEmpty();
    assertThat(OURS.constraints(parent, longer)).contains("max_runtime_seconds 60 -> 90");
    assertThat(OURS.constraints(parent, elsewhere)).contains("data_boundary eu -> us");
    assertThat(OURS.constraints(parent, unbounded)).contains("max_runtime_seconds 60 -> unlimited");
    assertThat(OURS.constraints(parent, Optional.empty())).isPresent();
    assertThat(OURS.constraints(Optional.empty(), longer)).isEmpty();
    for (Optional<Constraints> child :
        List.of(longer, elsewhere, unbounded, Optional.<Constraints>empty())) {
      assertThat(REFERENCE.constraints(parent, child)).isEmpty();
    }
  }

  @Test
  void aParentWithoutDataBoundaryLetsTheChildChooseOne() {
    Optional<Constraints> parent = Optional.of(new Constraints(Optional.empty(), Optional.empty()));
    Optional<Constraints> child = Optional.of(new Constraints(Optional.of(5L), Optional.of("eu")));
    assertThat(OURS.constraints(parent, child)).isEmpty();
  }
}
