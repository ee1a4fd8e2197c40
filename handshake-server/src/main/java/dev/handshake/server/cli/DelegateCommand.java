package dev.handshake.server.cli;

import dev.handshake.delegation.DelegationEnvelope;
import dev.handshake.delegation.MalformedPacketException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code handshake delegate}: TrustHandoff task hand-offs from the command line (trusthandoff.md,
 * docs/DELEGATION.md): {@code sign} a packet with an agent's key file, {@code verify} one as a
 * receiver would, {@code inspect} what one says.
 *
 * <p>Exit codes of every verb: 0 success (for {@code verify}: ACCEPT); 1 a packet the receiver
 * rejects; 2 input that cannot be used (a file that is not a packet or envelope, a key file or
 * passphrase, a registry, I/O) and usage errors.
 */
@Command(
    name = "delegate",
    mixinStandardHelpOptions = true,
    subcommands = {
      DelegateSignCommand.class,
      DelegateVerifyCommand.class,
      DelegateInspectCommand.class
    },
    description = "Sign, verify and inspect TrustHandoff task hand-off packets.")
final class DelegateCommand implements Runnable {
  /** Exit code when the receiver rejects the packet. */
  static final int EXIT_REJECTED = 1;

  /** Exit code when input, a key file or a file system operation cannot be used. */
  static final int EXIT_UNUSABLE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints why {@code verb} could not run and returns {@link #EXIT_UNUSABLE}. */
  static int unusable(CommandLine cmd, String verb, String message) {
    cmd.getErr().println("delegate " + verb + ": " + message);
    cmd.getErr().flush();
    return EXIT_UNUSABLE;
  }

  /**
   * Reads a packet or an envelope file (either wire form), as a receiver parses it: key order and
   * number text kept, at most {@link DelegationEnvelope#MAX_CHARS} bytes, UTF-8 only.
   *
   * @throws AuditCommand.UnusableInputException naming what is wrong with the file
   */
  static DelegationEnvelope readPacketFile(Path file)
      throws IOException, AuditCommand.UnusableInputException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(DelegationEnvelope.MAX_CHARS + 1);
    }
    if (bytes.length > DelegationEnvelope.MAX_CHARS) {
      throw new AuditCommand.UnusableInputException(
          file + " is larger than " + DelegationEnvelope.MAX_CHARS + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new AuditCommand.UnusableInputException(file + " is not UTF-8 text");
    }
    try {
      return DelegationEnvelope.parseEnvelopeOrPacket(text);
    } catch (MalformedPacketException e) {
      throw new AuditCommand.UnusableInputException(
          file + " is not a hand-off packet or envelope: " + e.getMessage());
    }
  }
}
