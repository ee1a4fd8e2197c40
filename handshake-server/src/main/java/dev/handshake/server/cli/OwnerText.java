package dev.handshake.server.cli;

/**
 * Requester-supplied text made safe for an owner's terminal: control, bidi and zero-width
 * characters removed (they could rewrite the line a person reads), then cut to a length.
 */
final class OwnerText {
  private OwnerText() {}

  static String clean(String text, int max) {
    StringBuilder sb = new StringBuilder();
    text.codePoints().filter(cp -> !hidden(cp)).forEach(sb::appendCodePoint);
    String s = sb.toString();
    return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max));
  }

  private static boolean hidden(int cp) {
    return Character.isISOControl(cp)
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0x200E || cp == 0x200F || cp == 0x061C
        || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
  }
}
