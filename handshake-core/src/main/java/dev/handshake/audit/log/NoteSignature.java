package dev.handshake.audit.log;

import dev.handshake.crypto.Base64Text;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One signature line of a signed note, {@code — <key name> <base64(key ID || signature)>}
 * (c2sp.org/signed-note). It says nothing until checked against a trusted {@link VerifierKey}.
 *
 * @param name the signer's key name
 * @param keyId the big-endian key ID from the first four decoded bytes
 * @param base64 the whole Base64 field: key ID and signature bytes
 */
public record NoteSignature(String name, int keyId, String base64) {
  /** Em dash and space: how every signature line starts. */
  static final String PREFIX = "\u2014 ";

  public NoteSignature {
    KeyNames.require(name);
    byte[] decoded =
        Base64Text.decodeStrict(base64)
            .orElseThrow(() -> new IllegalArgumentException("signature is not canonical Base64"));
    if (decoded.length < 5 || ByteBuffer.wrap(decoded).getInt() != keyId) {
      throw new IllegalArgumentException("signature must start with its 4-byte key ID");
    }
  }

  static NoteSignature of(String name, int keyId, byte[] signature) {
    byte[] field = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
    return new NoteSignature(name, keyId, Base64Text.encode(field));
  }

  /** Parses one line without its newline. */
  static NoteSignature parseLine(String line) throws LogFormatException {
    if (!line.startsWith(PREFIX)) {
      throw new LogFormatException("a signature line starts with an em dash and a space");
    }
    int space = line.indexOf(' ', PREFIX.length());
    if (space < 0) {
      throw new LogFormatException("a signature line is '— <name> <base64>'");
    }
    String name = line.substring(PREFIX.length(), space);
    String field = line.substring(space + 1);
    if (!KeyNames.isValid(name)) {
      throw new LogFormatException("invalid key name in a signature line");
    }
    byte[] decoded =
        Base64Text.decodeStrict(field)
            .orElseThrow(() -> new LogFormatException("signature is not canonical Base64"));
    if (decoded.length < 5) {
      throw new LogFormatException("signature is shorter than a key ID and one byte");
    }
    return new NoteSignature(name, ByteBuffer.wrap(decoded).getInt(), field);
  }

  /** The signature bytes after the key ID. */
  byte[] signatureBytes() {
    byte[] decoded = Base64Text.decodeStrict(base64).orElseThrow();
    return Arrays.copyOfRange(decoded, 4, decoded.length);
  }

  /** The line, newline included. */
  String line() {
    return PREFIX + name + " " + base64 + "\n";
  }

  @Override
  public String toString() {
    return name + "+" + HexFormat.of().toHexDigits(keyId);
  }
}
