package dev.handshake.pairing;

/**
 * Requester-supplied text made safe to show an owner (pairing.md §3.2 rule 6): invisible and
 * reordering characters removed, length bounded. A sender controls its display name, so without
 * this a name could carry a right-to-left override that makes {@code evil} read as {@code live},
 * zero-width or tag characters that smuggle text past the eye, or line breaks that forge a second
 * line of the template.
 */
public final class DisplayText {
  private static final char ELLIPSIS = '\u2026';

  private DisplayText() {}

  /**
   * {@code raw} without control (C0, DEL, C1), format (bidi embeddings, overrides and isolates,
   * LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, tag characters), line/paragraph
   * separator and lone surrogate characters, trimmed, and cut to {@code max} code points (the last
   * one an ellipsis when something was cut).
   */
  public static String clean(String raw, int max) {
    StringBuilder kept = new StringBuilder(Math.min(raw.length(), max * 2));
    raw.codePoints().filter(cp -> !hidden(cp)).forEach(kept::appendCodePoint);
    String text = kept.toString().strip();
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, max - 1);
    return text.substring(0, end).stripTrailing() + ELLIPSIS;
  }

  /**
   * Whether {@code cp} is one of the characters to remove. The explicit ranges are the ones rule 6
   * names; the general categories catch the rest of their kind (for example U+00AD, U+2061–2064,
   * U+E0001–E007F tags), which render as nothing or move other text.
   */
  static boolean hidden(int cp) {
    if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
      return true; // C0, DEL, C1
    }
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0x200E || cp == 0x200F || cp == 0x061C) {
      return true; // bidi
    }
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF) {
      return true; // zero-width
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE;
  }
}
