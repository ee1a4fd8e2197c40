package dev.handshake.server.cli;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the CA public key a verifier trusts from a file in one of the forms {@code handshake id
 * export} writes: an identity document ({@code --format identity}; its {@code agent_id} must derive
 * from the key), an SPKI PEM ({@code --format public-pem}), or the bare standard Base64 of the 32
 * raw bytes. Our {@code handshake-key/2} file also works: its public part is an identity.
 */
final class CaPublicKeyFile {
  private static final int MAX_SIZE = 64 * 1024;
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  /** DER of SubjectPublicKeyInfo{AlgorithmIdentifier{Ed25519}, BIT STRING} up to the raw key. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private CaPublicKeyFile() {}

  static Ed25519PublicKey read(Path file) throws IOException, AuditCommand.UnusableInputException {
    if (Files.size(file) > MAX_SIZE) {
      throw new AuditCommand.UnusableInputException(file + " is too large for a public key file");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    Optional<Ed25519PublicKey> key;
    if (text.startsWith("{")) {
      key = Optional.of(identity(file, text));
    } else if (text.startsWith(PEM_BEGIN) && text.endsWith(PEM_END)) {
      String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
      key =
          Base64Text.decodeStrict(body.replaceAll("\\s", ""))
              .filter(der -> der.length == SPKI_PREFIX.length + Ed25519PublicKey.SIZE)
              .filter(der -> Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX))
              .flatMap(der ->
                  Ed25519PublicKey.parse(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length)));
    } else {
      key = Base64Text.decodeStrict(text).flatMap(Ed25519PublicKey::parse);
    }
    return key.orElseThrow(() ->
        new AuditCommand.UnusableInputException(
            file
                + " holds no Ed25519 public key (expected identity.json, a public PEM or the"
                + " Base64 of the raw key)"));
  }

  private static Ed25519PublicKey identity(Path file, String text)
      throws AuditCommand.UnusableInputException {
    try {
      JsonNode json = CanonicalJson.parse(text);
      return IdentityDocument.parse(json, true, false).publicKey();
    } catch (CanonicalJsonException | IdentityDocument.InvalidIdentityException e) {
      throw new AuditCommand.UnusableInputException(file + ": " + e.getMessage());
    }
  }
}
