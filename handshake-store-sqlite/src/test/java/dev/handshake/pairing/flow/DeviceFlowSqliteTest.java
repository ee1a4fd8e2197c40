package dev.handshake.pairing.flow;

import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device flow over the SQLite stores, as the server and a second process (the CLI, another
 * node) would run it on one data folder.
 */
class DeviceFlowSqliteTest {
  @TempDir Path data;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-09-01T10:00:00Z"));
  private final Pepper pepper = Pepper.of(new byte[32]);

  /** One process: its own connections to pairing.db and pairing-flow.db. */
  private final class Node implements AutoCloseable {
    final PairingStore pairing;
    final DeviceFlowStore flows;
    final AccessTokenStore tokenStore;
    final AccessTokens tokens;
    final DeviceFlow flow;

    Node() throws IOException {
      pairing = SqliteStores.pairing(data, PairingConfig.defaults(), pepper, clock);
      flows = SqliteStores.flows(data);
      tokenStore = SqliteStores.tokens(data);
      tokens = AccessTokens.create(pairing, tokenStore, AccessTokenConfig.defaults(), pepper,
          clock, new SecureRandom());
      flow = DeviceFlow.create(pairing, flows, tokens,
          DeviceFlowConfig.of(URI.create("https://gw.example/device")), pepper, clock,
          new SecureRandom());
    }

    @Override
    public void close() {
      flows.close();
      tokenStore.close();
      pairing.close();
    }
  }

  @Test
  @DisplayName("item 19: two processes polling one approved flow issue exactly one token")
  void item19_twoProcessesIssueExactlyOneToken() throws IOException {
    try (Node server = new Node(); Node other = new Node()) {
      DeviceAuthorization a =
          ((StartOutcome.Started) server.flow.start("my-cli", "read", Optional.empty()))
              .authorization();
      other.pairing.approve(ApprovalTarget.code(a.userCode()), Approver.named("cli:owner"));

      List<TokenResponse> answers = new ArrayList<>();
      answers.add(server.flow.poll(a.deviceCode().reveal()));
      answers.add(other.flow.poll(a.deviceCode().reveal()));

      assertThat(answers).filteredOn(r -> r instanceof TokenResponse.TokenIssued).hasSize(1);
      TokenResponse.TokenIssued t = (TokenResponse.TokenIssued) answers.get(0);
      assertThat(other.tokens.verify(t.accessToken().reveal()))
          .as("the other process accepts the token").isPresent();
    }
  }

  @Test
  @DisplayName("item 19: neither the device code nor the token is written to disk")
  void item19_noSecretReachesTheDatabaseFiles() throws IOException {
    String deviceCode;
    String token;
    try (Node node = new Node()) {
      DeviceAuthorization a =
          ((StartOutcome.Started) node.flow.start("my-cli", "read", Optional.empty()))
              .authorization();
      node.pairing.approve(ApprovalTarget.code(a.userCode()), Approver.named("cli:owner"));
      deviceCode = a.deviceCode().reveal();
      token = ((TokenResponse.TokenIssued) node.flow.poll(deviceCode)).accessToken().reveal();
    }
    try (Stream<Path> files = Files.list(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(f.getFileName().toString()).doesNotContain(deviceCode)
            .doesNotContain(token);
      }
    }
  }
}
