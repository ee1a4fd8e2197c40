package dev.handshake.json;

import java.util.Comparator;

/**
 * The pieces of JSON text that RFC 8785 and the Python reference write identically: string escaping
 * (RFC 8785 §3.2.2.2, which is also Python's {@code json} escaping) and the two key orders.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Object keys in Unicode code point order, as Python's {@code sorted()} compares strings. */
  static final Comparator<String> CODE_POINT_ORDER = JsonText::compareCodePoints;

  private JsonText() {}

  /**
   * Appends {@code s} as a JSON string that escapes only what JSON requires and keeps everything
   * else raw, so the UTF-8 bytes are unique. A lone surrogate has no UTF-8 form, so it is refused
   * rather than silently replaced.
   */
  static void appendQuoted(StringBuilder out, String s, JsonPath where) {
    out.append('"');
    int plain = 0;
    while (plain < s.length() && plainChar(s.charAt(plain))) {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        appendEscape(out, c);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
        } else {
          throw loneSurrogate(c, "string", where);
        }
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** A character copied as is: no escape, not part of a surrogate pair. */
  private static boolean plainChar(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
  }

  /**
   * Appends {@code s} the way Python's {@code json.dumps(ensure_ascii=True)} does: every UTF-16
   * unit outside printable ASCII as {@code \}{@code uxxxx}, so astral characters become surrogate
   * pairs and the output is pure ASCII.
   */
  static void appendQuotedAscii(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        appendEscape(out, c);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** {@code s} as an ASCII JSON string, for messages that must show any key legibly. */
  static String quotedAscii(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuotedAscii(sb, s);
    return sb.toString();
  }

  private static void appendEscape(StringBuilder out, char c) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default ->
          out.append("\\u")
              .append(HEX[(c >> 12) & 0xf])
              .append(HEX[(c >> 8) & 0xf])
              .append(HEX[(c >> 4) & 0xf])
              .append(HEX[c & 0xf]);
    }
  }

  static CanonicalJsonException loneSurrogate(char c, String where, JsonPath path) {
    return new CanonicalJsonException(
        String.format("lone surrogate U+%04X in %s at %s", (int) c, where, path));
  }

  /** The index of the first lone surrogate in {@code s}, or -1 when it is well-formed UTF-16. */
  static int loneSurrogateAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Compares by code point. UTF-16 order ({@link String#compareTo}) agrees except where a surrogate
   * meets a unit in U+E000–U+FFFF at the first difference: the surrogate belongs to a code point
   * above U+FFFF, so it must sort last.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return codePointRank(x) - codePointRank(y);
      }
    }
    return a.length() - b.length();
  }

  private static int codePointRank(char c) {
    if (c >= 0xe000) {
      return c - 0x800;
    }
    return Character.isSurrogate(c) ? c + 0x2000 : c;
  }
}
