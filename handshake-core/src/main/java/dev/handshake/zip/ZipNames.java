package dev.handshake.zip;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which member names {@link BoundedZip} accepts. Under both policies a name has 1 to {@value
 * #MAX_LENGTH} characters, none of them a control character, cannot point outside the folder it
 * would be extracted to, and is unique ignoring case (so no two members land on one file of a
 * case-insensitive file system, and no reader can pick a different one of two equal names).
 */
public enum ZipNames {
  /**
   * Plain printable-ASCII file names without folders: no {@code /}, {@code \}, {@code :}, and not
   * {@code .} or {@code ..}. What {@link DeterministicZip} writes and bundles hold.
   */
  FLAT {
    @Override
    Optional<String> refusal(byte[] name) {
      if (name.length == 0) {
        return Optional.of("empty name");
      }
      if (name.length > MAX_LENGTH) {
        return Optional.of("longer than " + MAX_LENGTH + " characters");
      }
      for (byte b : name) {
        if (b < 0x20 || b > 0x7e || b == '/' || b == '\\' || b == ':') {
          return Optional.of(
              "not a plain file name (folders, drive letters, control and non-ASCII characters"
                  + " are refused)");
        }
      }
      String text = new String(name, StandardCharsets.US_ASCII);
      if (text.equals(".") || text.equals("..")) {
        return Optional.of("not a file name");
      }
      return Optional.empty();
    }
  },

  /**
   * Relative UTF-8 paths, as general archives ({@code .pqz}) hold them: folders separated by {@code
   * /} and folder entries ending in {@code /} are accepted; absolute paths, {@code \}, a leading
   * drive letter, {@code .} and {@code ..} segments, empty segments, control characters and bytes
   * that are not UTF-8 are refused.
   */
  PATHS {
    @Override
    Optional<String> refusal(byte[] raw) {
      if (raw.length == 0) {
        return Optional.of("empty name");
      }
      String name;
      try {
        name =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw))
                .toString();
      } catch (CharacterCodingException e) {
        return Optional.of("not UTF-8");
      }
      if (name.length() > MAX_LENGTH) {
        return Optional.of("longer than " + MAX_LENGTH + " characters");
      }
      if (name.startsWith("/")) {
        return Optional.of("absolute path");
      }
      if (name.indexOf('\\') >= 0) {
        return Optional.of("backslash in name");
      }
      if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
        return Optional.of("drive letter");
      }
      if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return Optional.of("control character in name");
      }
      String[] segments = name.split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.equals("..") || segment.equals(".")) {
          return Optional.of("path traversal (" + segment + " segment)");
        }
        // A folder entry ends with "/", which leaves one empty last segment.
        if (segment.isEmpty() && i != segments.length - 1) {
          return Optional.of("empty path segment");
        }
      }
      return Optional.empty();
    }
  };

  /** The most characters in a name. */
  public static final int MAX_LENGTH = 255;

  /** Why this policy refuses {@code name} on its own, or empty when it accepts it. */
  abstract Optional<String> refusal(byte[] name);

  /**
   * Why {@code name} is refused, or empty when it is acceptable and not yet in {@code seen} (to
   * which its case-folded form is then added).
   */
  final Optional<String> problem(byte[] name, Set<String> seen) {
    Optional<String> refusal = refusal(name);
    if (refusal.isPresent()) {
      return Optional.of("member name " + printable(name) + " refused: " + refusal.get());
    }
    if (!seen.add(decode(name).toLowerCase(Locale.ROOT))) {
      return Optional.of(
          "member name " + printable(name) + " appears more than once (ignoring case)");
    }
    return Optional.empty();
  }

  /** An accepted name as text (ASCII is UTF-8). */
  static String decode(byte[] name) {
    return new String(name, StandardCharsets.UTF_8);
  }

  /** Whether an accepted name is a folder entry (only {@link #PATHS} accepts those). */
  static boolean isFolder(String name) {
    return name.endsWith("/");
  }

  /** {@code name} quoted for a message: printable ASCII as is, other bytes as {@code \xNN}. */
  static String printable(byte[] name) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < Math.min(name.length, 64); i++) {
      int b = name[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    return out.append(name.length > 64 ? "…\"" : "\"").toString();
  }
}
