package dev.handshake.server.cli;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import dev.handshake.server.SharedState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake audit stamp --key KEYFILE --payload JSON}: signs one event onto the agent's
 * chain in {@code --data} (aiss.md §2.2, our profile: genesis = SHA-256 of the public key, Base64
 * signature, UUID4 nonce) and a fresh head after it, so an export always carries a current head;
 * prints the event.
 *
 * <p>The payload must be a JSON object with an {@code event_type} string (the reference's
 * convention) inside the signable subset: no floats, integers within ±(2^53−1) ({@link
 * CanonicalJson#requireSignable}). It is checked before the key is read and nothing is stored when
 * it is refused. Exit 0, or 2.
 */
@Command(
    name = "stamp",
    mixinStandardHelpOptions = true,
    description = "Sign one event onto the agent's chain and print it.")
final class AuditStampCommand implements Callable<Integer> {
  /** A payload file larger than this is refused before it is read. */
  static final long MAX_PAYLOAD_FILE = 1 << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin AuditAgentOptions agent;

  @Option(
      names = "--payload",
      required = true,
      paramLabel = "JSON",
      description =
          "The payload: a JSON object with \"event_type\", or @FILE to read it from FILE.")
  String payload;

  @Option(names = "--pretty", description = "Print the event indented by two spaces.")
  boolean pretty;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      ObjectNode body = payload(readPayloadText());
      Ed25519PrivateKey key = agent.privateKey(cmd);
      AuditEvent event;
      try (SharedState shared = agent.db.open();
          AuditStore store = AuditCommand.openStore(shared, agent.data, false)) {
        AgentChain chain = AgentChain.open(key, store, CommandEnvironment.of(cmd).clock());
        event = chain.append(body);
        chain.signHead();
      }
      PrintWriter out = cmd.getOut();
      if (pretty) {
        out.print(Json.pretty(event.json()));
      } else {
        out.println(Json.text(event.json()));
      }
      out.flush();
      return 0;
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "stamp", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "stamp", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "stamp", e.getCause().getMessage());
    } catch (AuditStore.StaleHeadException e) {
      return AuditCommand.unusable(
          cmd, "stamp", "another writer extended the chain at the same time; run it again");
    } finally {
      agent.wipe();
    }
  }

  private String readPayloadText() throws IOException, AuditCommand.UnusableInputException {
    if (!payload.startsWith("@")) {
      return payload;
    }
    Path file = Path.of(payload.substring(1));
    if (Files.isRegularFile(file) && Files.size(file) > MAX_PAYLOAD_FILE) {
      throw new AuditCommand.UnusableInputException(
          "payload file " + file + " is larger than " + MAX_PAYLOAD_FILE + " bytes");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new AuditCommand.UnusableInputException("payload file " + file + " is not UTF-8");
    }
  }

  /** The payload object, refused with the reason when it cannot be signed as our events are. */
  static ObjectNode payload(String text) throws AuditCommand.UnusableInputException {
    JsonNode parsed;
    try {
      parsed = CanonicalJson.parse(text);
    } catch (CanonicalJsonException e) {
      throw new AuditCommand.UnusableInputException("payload is not JSON: " + e.getMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw new AuditCommand.UnusableInputException(
          "payload must be a JSON object, e.g. {\"event_type\":\"note\",\"text\":\"hello\"}");
    }
    JsonNode type = object.path("event_type");
    if (!type.isString() || type.stringValue().isEmpty()) {
      throw new AuditCommand.UnusableInputException(
          "payload needs an \"event_type\" string (the AISS convention, aiss.md §2.2),"
              + " e.g. {\"event_type\":\"note\",\"text\":\"hello\"}");
    }
    try {
      CanonicalJson.requireSignable(object);
    } catch (CanonicalJsonException e) {
      throw new AuditCommand.UnusableInputException("payload refused: " + e.getMessage());
    }
    return object;
  }
}
