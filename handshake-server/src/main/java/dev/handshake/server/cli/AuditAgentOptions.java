package dev.handshake.server.cli;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.audit.ChainHead;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.KeyFileSummary;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.LoadedKey;
import dev.handshake.server.SharedState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The flags of the {@code audit} verbs that act as one agent ({@code stamp}, {@code export},
 * {@code archive}, {@code head}): its key file ({@code --key}, any format {@link KeyFiles} reads,
 * a plaintext file draws a warning), the data folder ({@code --data}), the shared database
 * ({@code --db}, {@link AuditDbOption}) and the passphrase flags ({@link PassphraseOptions}). The private key is decrypted only when something must be signed.
 */
final class AuditAgentOptions {
  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEYFILE",
      description = "The agent's key file (handshake id new, PiQrypt PQKY or plaintext).")
  Path keyFile;

  @Option(
      names = "--data",
      defaultValue = AuditCommand.DEFAULT_DATA,
      paramLabel = "DIR",
      description = "Folder of the audit store (audit.db; default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin PassphraseOptions passphrase = new PassphraseOptions();

  @Mixin AuditDbOption db = new AuditDbOption();

  /** The agent's private key (asks for the passphrase when the format is encrypted). */
  Ed25519PrivateKey privateKey(CommandLine cmd) throws IOException {
    LoadedKey loaded = KeyFiles.load(keyFile, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
    IdCommand.warnIfPlaintext(cmd.getErr(), keyFile, loaded.format());
    return loaded.key();
  }

  /** The agent's public key; our format states it in clear, so no passphrase is needed. */
  Ed25519PublicKey publicKey(CommandLine cmd) throws IOException {
    KeyFileSummary summary =
        KeyFiles.describe(keyFile, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
    IdCommand.warnIfPlaintext(cmd.getErr(), keyFile, summary.format());
    return summary.publicKey();
  }

  /**
   * The agent's signed head covering every stored event: the stored one when it is current, else a
   * fresh one signed (and stored) now, which is the only case that needs the passphrase.
   */
  ChainHead currentHead(CommandLine cmd, Ed25519PublicKey publicKey, AuditStore store)
      throws IOException {
    String agentId = AgentIds.aiss(publicKey);
    Optional<ChainHead> stored = store.head(agentId);
    if (stored.isPresent() && stored.get().eventCount() == store.count(agentId)) {
      return stored.get();
    }
    return AgentChain.open(privateKey(cmd), store, CommandEnvironment.of(cmd).clock()).signHead();
  }

  /**
   * The agent's stored chain as the {@code export} and {@code archive} verbs hand it on.
   *
   * @param identity the key's identity, {@code created_at} = the first event's timestamp (now for
   *     an empty chain), no metadata
   * @param events every stored event, in append order
   * @param head a signed head covering at least the events stored when it was read, if asked for
   */
  record ChainSnapshot(
      IdentityDocument identity, List<AuditEvent> events, Optional<ChainHead> head) {}

  /**
   * Reads the agent's chain from the store ({@code --db}, else {@code --data}, which must exist). With {@code
   * signedHead}, the head is taken before the events: a writer appending in between leaves the
   * head a valid prefix checkpoint, where the other order would make the chain look truncated.
   */
  ChainSnapshot snapshot(CommandLine cmd, boolean signedHead)
      throws IOException, AuditCommand.UnusableInputException {
    Ed25519PublicKey publicKey = publicKey(cmd);
    String agentId = AgentIds.aiss(publicKey);
    long now = CommandEnvironment.of(cmd).clock().instant().getEpochSecond();
    try (SharedState shared = db.open();
        AuditStore store = AuditCommand.openStore(shared, data, true)) {
      Optional<ChainHead> head =
          signedHead ? Optional.of(currentHead(cmd, publicKey, store)) : Optional.empty();
      List<AuditEvent> events = store.events(agentId);
      long createdAt = events.isEmpty() ? now : events.getFirst().timestamp().orElse(now);
      return new ChainSnapshot(
          IdentityDocument.of(publicKey, createdAt, Optional.empty()), events, head);
    }
  }

  /** Overwrites the passphrase obtained in this run, if any. */
  void wipe() {
    passphrase.wipe();
  }
}
