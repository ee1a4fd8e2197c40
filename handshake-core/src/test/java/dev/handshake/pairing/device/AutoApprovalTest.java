package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoApprovalTest {
  private static final Map<String, List<String>> NO_HEADERS = Map.of();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.5.6.7", "::1", "[::1]", "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1", "::1%lo"})
  @DisplayName("§4 item 15: a loopback peer without proxy headers is a direct loopback")
  void item15_loopbackPeersWithoutProxyHeadersAreDirect(String peer) {
    assertThat(AutoApproval.isDirectLoopback(peer, NO_HEADERS)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Forwarded-For", "x-forwarded-for", "Via", "VIA", "X-Real-IP",
      "x-real-ip", "X-Forwarded-Host", "Forwarded", "forwarded"})
  @DisplayName("§4 item 15: any proxy header, in any case, rules auto-approval out")
  void item15_anyProxyHeaderRulesOutALoopbackPeer(String header) {
    assertThat(AutoApproval.isDirectLoopback("127.0.0.1", Map.of(header, List.of("10.0.0.9"))))
        .isFalse();
    assertThat(AutoApproval.isDirectLoopback("::1", Map.of(header, List.of()))).as("empty value")
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "128.0.0.1", "::2", "::ffff:10.0.0.1",
      "localhost", "127.0.0.1.example.com", "", "127.0.0.1:8080", "0.0.0.0", "::"})
  @DisplayName("§4 item 15: a non-loopback (or non-literal) peer is never a direct loopback")
  void item15_otherPeersAreNotDirectLoopback(String peer) {
    assertThat(AutoApproval.isDirectLoopback(peer, NO_HEADERS)).isFalse();
  }

  @Test
  void unrelatedHeadersDoNotMatter() {
    assertThat(AutoApproval.isDirectLoopback("127.0.0.1",
        Map.of("User-Agent", List.of("x"), "X-Forwarded-Proto", List.of("https")))).isTrue();
  }

  private static DeviceRequest request(String role, Set<String> scopes, boolean upgrade) {
    Instant t = Instant.parse("2026-05-01T10:00:00Z");
    return new DeviceRequest("r", "d", "k", "", "", "c", role, scopes, "127.0.0.1", t, t,
        t.plusSeconds(300), DeviceRequestState.PENDING, upgrade, Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  @Test
  @DisplayName("§4 item 15: only fresh, scope-less node requests, only when enabled")
  void item15_onlyFreshScopelessNodeRequestsWhenEnabled() {
    DevicePairingConfig on = DevicePairingConfig.defaults().autoApproveLoopback(true);

    assertThat(AutoApproval.permits(on, request("node", Set.of(), false), "127.0.0.1", NO_HEADERS))
        .isTrue();
    assertThat(AutoApproval.permits(DevicePairingConfig.defaults(),
        request("node", Set.of(), false), "127.0.0.1", NO_HEADERS)).as("off by default").isFalse();
    assertThat(AutoApproval.permits(on, request("operator", Set.of(), false), "127.0.0.1",
        NO_HEADERS)).as("other role").isFalse();
    assertThat(AutoApproval.permits(on, request("node", Set.of("x.y"), false), "127.0.0.1",
        NO_HEADERS)).as("with scopes").isFalse();
    assertThat(AutoApproval.permits(on, request("node", Set.of(), true), "127.0.0.1",
        NO_HEADERS)).as("upgrade").isFalse();
    assertThat(AutoApproval.permits(on, request("node", Set.of(), false), "127.0.0.1",
        Map.of("Via", List.of("1.1 proxy")))).as("behind a proxy").isFalse();
  }
}
