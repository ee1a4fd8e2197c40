package dev.handshake.delegation;

import static dev.handshake.delegation.ActionAuthorization.isActionAuthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** trusthandoff.md §4 item 15 (the is_action_authorized parts) and §2.9. */
class ActionAuthorizationTest {
  private static DelegationCapability withPermissions(Permissions permissions) throws Exception {
    DelegationCapability c =
        DelegationCapability.parse(
            HandoffVectors.wire(
                HandoffVectors.capability("cap-vec-2").path("capability_json").stringValue()));
    return new DelegationCapability(
        c.capabilityId(),
        c.issuerAgent(),
        c.subjectAgent(),
        permissions,
        c.constraints(),
        c.issuedAt(),
        c.expiresAt(),
        c.parentCapabilityId(),
        c.signatureAlgo(),
        c.signature(),
        c.publicKey());
  }

  @Test
  @DisplayName("item 15: an allowed action is authorized")
  void item15_allowedActionIsAuthorized() throws Exception {
    DelegationCapability cap = withPermissions(Permissions.of(List.of("search", "read"), 2));
    assertThat(isActionAuthorized(cap, "search", 0)).isTrue();
    assertThat(isActionAuthorized(cap, "read", 1)).isTrue();
  }

  @Test
  @DisplayName("item 15: a disallowed action is not (exact strings)")
  void item15_disallowedActionIsNotAuthorized() throws Exception {
    DelegationCapability cap = withPermissions(Permissions.of(List.of("search"), 2));
    assertThat(isActionAuthorized(cap, "write", 0)).isFalse();
    assertThat(isActionAuthorized(cap, "Search", 0)).isFalse();
    assertThat(isActionAuthorized(cap, "search ", 0)).isFalse();
  }

  @Test
  @DisplayName("item 15: tool_calls_used == max_tool_calls is not authorized")
  void item15_reachingTheLimitEndsTheAuthorization() throws Exception {
    DelegationCapability cap = withPermissions(Permissions.of(List.of("search"), 2));
    assertThat(isActionAuthorized(cap, "search", 1)).isTrue();
    assertThat(isActionAuthorized(cap, "search", 2)).isFalse();
    assertThat(isActionAuthorized(cap, "search", 3)).isFalse();
  }

  @Test
  @DisplayName("§2.9: max_tool_calls = 0 allows nothing")
  void maxToolCallsZeroAllowsNothing() throws Exception {
    DelegationCapability cap = withPermissions(Permissions.of(List.of("search"), 0));
    assertThat(isActionAuthorized(cap, "search", 0)).isFalse();
  }

  @Test
  void withoutALimitOnlyTheActionMatters() throws Exception {
    DelegationCapability cap =
        withPermissions(new Permissions(List.of("search"), Optional.empty()));
    assertThat(isActionAuthorized(cap, "search", 1_000_000)).isTrue();
  }

  @Test
  void aNegativeCounterIsAProgrammingError() throws Exception {
    DelegationCapability cap = withPermissions(Permissions.of(List.of("search"), 2));
    assertThatThrownBy(() -> isActionAuthorized(cap, "search", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
