package dev.handshake.audit.log;

/** The key-name rule shared by signature lines and verifier keys (c2sp.org/signed-note). */
final class KeyNames {
  private KeyNames() {}

  /** Non-empty, without Unicode spaces, plus signs or control characters. */
  static boolean isValid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    return name.codePoints()
        .noneMatch(cp ->
            cp == '+'
                || cp < 0x20
                || cp == 0x85
                || Character.isWhitespace(cp)
                || Character.isSpaceChar(cp));
  }

  static String require(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "a key name is non-empty and has no spaces, '+' or control characters: " + name);
    }
    return name;
  }
}
