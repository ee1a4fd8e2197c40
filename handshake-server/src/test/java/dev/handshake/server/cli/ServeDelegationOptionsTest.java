package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.json.Json;
import dev.handshake.server.ServerDelegation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/** {@code serve --delegation-registry/--delegation-trust-anchor}: read at start-up, or no start. */
class ServeDelegationOptionsTest {
  @TempDir Path dir;

  private static ServeCommand parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve;
  }

  @Test
  void theRegistryAndAnchorsAreLoadedAtStartUp() throws Exception {
    ObjectNode registry = Json.object();
    HandoffVectors.registryAbc().forEach(registry::put);
    Path file = Files.writeString(dir.resolve("agents.json"), Json.text(registry));
    String a = HandoffVectors.agentId("A");
    String b = HandoffVectors.agentId("B");
    ServeCommand serve =
        parse(
            "--delegation-registry",
            file.toString(),
            "--delegation-trust-anchor",
            a,
            "--delegation-trust-anchor",
            b,
            "--data",
            dir.toString());
    DelegationTrust trust = serve.delegationTrust();
    assertThat(trust.registry()).isEqualTo(HandoffVectors.registryAbc());
    assertThat(trust.trustAnchors()).containsExactlyInAnyOrder(a, b);
    try (ServerDelegation delegation = serve.openDelegation(trust, null)) {
      assertThat(delegation.trust()).isEqualTo(trust);
    }
  }

  @Test
  void withoutFlagsThereIsNoRegistryAndNoAnchor() {
    DelegationTrust trust = parse().delegationTrust();
    assertThat(trust.registry()).isEmpty();
    assertThat(trust.trustAnchors()).isEmpty();
  }

  @Test
  void aBadRegistryFileStopsTheStartNamingTheProblem() throws Exception {
    record Case(String text, String message) {}
    for (Case c :
        new Case[] {
          new Case("{\"agent:a\":\"not a pem\"}", "not an Ed25519 public-key PEM"),
          new Case("[]", "a registry is a JSON object"),
          new Case("{\"agent:a\":1}", "is not a PEM string"),
          new Case("{\"a\":\"x\",\"a\":\"y\"}", "not valid JSON"),
          new Case("{oops", "not valid JSON")
        }) {
      Path file = Files.writeString(dir.resolve("bad.json"), c.text());
      ServeCommand serve = parse("--delegation-registry", file.toString());
      assertThatThrownBy(serve::delegationTrust)
          .as(c.text())
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageContaining("--delegation-registry")
          .hasMessageContaining(c.message());
    }
    ServeCommand missing = parse("--delegation-registry", dir.resolve("nope.json").toString());
    assertThatThrownBy(missing::delegationTrust).hasMessageContaining("no such file");
  }
}
