package dev.handshake.json;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Python's {@code repr()} of decoded JSON values: the text behind {@link PythonJson#str} and {@link
 * PythonJson#repr}.
 */
final class PythonRepr {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PythonRepr() {}

  static void append(JsonNode value, StringBuilder out) {
    switch (value.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : value.properties()) {
          if (!first) {
            out.append(", ");
          }
          first = false;
          appendString(member.getKey(), out);
          out.append(": ");
          append(member.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < value.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          append(value.get(i), out);
        }
        out.append(']');
      }
      case STRING -> appendString(value.stringValue(), out);
      case NUMBER ->
          out.append(
              value.isIntegralNumber()
                  ? value.bigIntegerValue().toString()
                  : PythonJson.floatRepr(CanonicalJson.toDouble(value)));
      case BOOLEAN -> out.append(value.booleanValue() ? "True" : "False");
      case NULL -> out.append("None");
      default -> throw new CanonicalJsonException("not JSON data: " + value.getNodeType());
    }
  }

  /**
   * Python's {@code repr(str)}: single quotes unless the text has a single quote and no double
   * quote; backslash escapes for the quote, {@code \\}, {@code \n}, {@code \r}, {@code \t}; other
   * non-printable characters as {@code \xhh}, {@code \}{@code uhhhh} or {@code \Uhhhhhhhh}.
   */
  static void appendString(String s, StringBuilder out) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        out.append('\\').append((char) cp);
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (cp < 0x7f ? cp >= 0x20 : isPrintable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        appendHex(out, "\\x", cp, 2);
      } else if (cp <= 0xffff) {
        appendHex(out, "\\u", cp, 4);
      } else {
        appendHex(out, "\\U", cp, 8);
      }
    }
    out.append(quote);
  }

  private static void appendHex(StringBuilder out, String prefix, int cp, int digits) {
    out.append(prefix);
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      out.append(HEX[(cp >> shift) & 0xf]);
    }
  }

  /**
   * Python's {@code str.isprintable()} for one code point: everything except the "Other" and
   * "Separator" categories, with the ASCII space allowed. Uses the JDK's Unicode tables, which can
   * differ from the Python build's for code points assigned in recent Unicode versions.
   */
  private static boolean isPrintable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
