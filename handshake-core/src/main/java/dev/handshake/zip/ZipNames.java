package dev.handshake.zip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The member names both {@link BoundedZip} and {@link DeterministicZip} accept: flat printable
 * ASCII names, so that no name can point outside the folder it is extracted to, and unique ignoring
 * case, so that no two members land on one file of a case-insensitive file system.
 */
final class ZipNames {
  static final int MAX_LENGTH = 255;

  private ZipNames() {}

  /** Why {@code name} is refused, or empty when it is acceptable and not yet in {@code seen}. */
  static Optional<String> problem(byte[] name, Set<String> seen) {
    if (name.length == 0 || name.length > MAX_LENGTH) {
      return Optional.of("a member name must have 1 to " + MAX_LENGTH + " characters");
    }
    for (byte b : name) {
      if (b < 0x20 || b > 0x7e || b == '/' || b == '\\' || b == ':') {
        return Optional.of(
            "member name "
                + printable(name)
                + " is not a plain file name (folders, drive letters, control and non-ASCII"
                + " characters are refused)");
      }
    }
    String text = new String(name, StandardCharsets.US_ASCII);
    if (text.equals(".") || text.equals("..")) {
      return Optional.of("member name " + text + " is not a file name");
    }
    if (!seen.add(text.toLowerCase(Locale.ROOT))) {
      return Optional.of("member name " + text + " appears twice (ignoring case)");
    }
    return Optional.empty();
  }

  static String printable(byte[] name) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < Math.min(name.length, 64); i++) {
      int b = name[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    return out.append(name.length > 64 ? "…\"" : "\"").toString();
  }
}
