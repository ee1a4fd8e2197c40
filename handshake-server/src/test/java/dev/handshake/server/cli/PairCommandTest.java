package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.server.ServerPairing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code handshake pair …} on the server's store (pairing.md §3.2 rule 5, §4 items 5, 7, 20). */
class PairCommandTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  static final CommandEnvironment ENV =
      new CommandEnvironment(name -> null, SecretPrompt.none(), CLOCK, new SecureRandom());

  @TempDir Path data;

  CliRun pair(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "pair";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data";
    all[args.length + 2] = data.toString();
    return CliRun.execute(ENV, all);
  }

  RequestOutcome.Created request(String sender) throws Exception {
    try (PairingStore s = ServerPairing.openStore(data, ServeCommand.pairingConfig(3600), CLOCK)) {
      return (RequestOutcome.Created) s.request(Requester.of("telegram", sender),
          Map.of("name", "Ann\u202Eevil"), Optional.empty());
    }
  }

  @Test
  void listApproveGrantsRevoke() throws Exception {
    RequestOutcome.Created ann = request("111");
    CliRun list = pair("list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains(ann.request().requestId()).contains("telegram").contains("111")
        .contains("60 min").doesNotContain("\u202E").doesNotContain(ann.code().reveal());
    JsonNode json = Json.mapper().readTree(pair("list", "--json").out());
    assertThat(json.path("requests")).singleElement()
        .satisfies(r -> assertThat(r.path("sender").stringValue()).isEqualTo("111"));

    CliRun approve = pair("approve", ann.code().display().toLowerCase());
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("telegram:default:111 is paired");
    CliRun again = pair("approve", ann.code().display());
    assertThat(again.exit()).isEqualTo(PairCommand.EXIT_REFUSED);
    assertThat(again.err()).contains("already approved");

    assertThat(pair("grants").out()).contains("111").contains("active");
    JsonNode grants = Json.mapper().readTree(pair("grants", "--json").out());
    assertThat(grants.path("grants")).hasSize(1);
    assertThat(pair("revoke", "telegram", "111").exit()).isZero();
    assertThat(pair("grants").out()).contains("No grants.");
    assertThat(pair("grants", "--all").out()).contains("revoked by cli:");
    assertThat(pair("revoke", "telegram", "111").exit()).isEqualTo(PairCommand.EXIT_REFUSED);
  }

  @Test
  void item7_denyThenApproveSaysDenied() throws Exception {
    RequestOutcome.Created ann = request("111");
    assertThat(pair("deny", ann.request().requestId()).exit()).isZero();
    CliRun late = pair("approve", ann.code().reveal());
    assertThat(late.exit()).isEqualTo(PairCommand.EXIT_REFUSED);
    assertThat(late.err()).contains("denied");
    assertThat(pair("grants", "--all").out()).contains("No grants.");
  }

  @Test
  void openclawOrderChannelThenCodeAndBadInput() throws Exception {
    RequestOutcome.Created ann = request("111");
    assertThat(pair("approve", "discord", ann.code().display()).exit())
        .as("another channel does not match").isEqualTo(PairCommand.EXIT_REFUSED);
    assertThat(pair("approve", "telegram", ann.code().display()).exit()).isZero();
    CliRun bad = pair("approve", "not-a-code");
    assertThat(bad.exit()).isEqualTo(PairCommand.EXIT_UNUSABLE);
    assertThat(bad.err()).contains("is not a pairing code");
  }

  @Test
  void item20_importFromOpenclaw() throws Exception {
    Path creds = Files.createDirectories(data.resolve("oc"));
    Files.writeString(creds.resolve("telegram-default-allowFrom.json"), "{\"version\":1,\"allowFrom\":[\"42\"]}");
    CliRun r = pair("import", "--openclaw", creds.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Imported 1 grants and 0 pending requests.");
    assertThat(pair("grants").out()).contains("42").contains("import:openclaw");
  }
}
