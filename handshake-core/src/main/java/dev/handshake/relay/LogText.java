package dev.handshake.relay;

/**
 * Makes packet fields safe to log (keep.md §3 item 9): control characters escaped, so a body
 * cannot forge log lines, and long text truncated.
 */
public final class LogText {
  private LogText() {}

  /** {@code text} with control, bidi and separator characters as {@code \\uXXXX}, cut to {@code max} chars. */
  public static String escape(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> {
          if (Character.isISOControl(c) || isFormatting(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > max) {
      out.append("…(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  /** Names and ids: escaped and cut at 128 characters. */
  public static String name(String text) {
    return escape(text, 128);
  }

  private static boolean isFormatting(char c) {
    return (c >= '\u200b' && c <= '\u200f')
        || (c >= '\u2028' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\ufeff';
  }
}
