package dev.handshake.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.util.RawValue;

/**
 * The exact text the PiQrypt reference (Python) produces from a JSON value, so that its signatures
 * and hashes can be verified: its own "canonical" form (aiss.md §2.3), {@code json.dumps} in the
 * layouts it uses (§2.5, §2.7) and {@code str()} of a decoded value (§2.6).
 *
 * <p>Read reference data with {@link CanonicalJson#parse}, which keeps integers and floats apart as
 * Python's {@code json.loads} does; a tree's integer nodes are Python {@code int}, its other number
 * nodes Python {@code float}. For data we produce use {@link CanonicalJson}; on the subset {@link
 * CanonicalJson#requireSignable} accepts, both canonical forms are byte-identical.
 *
 * <p>JSON outputs refuse NaN, the infinities and (except the ASCII-only form) lone surrogates: the
 * reference rejects the former, and the latter have no UTF-8 bytes to hash.
 */
public final class PythonJson {
  /** How one {@code json.dumps} call lays out its text. */
  private record Layout(
      boolean sortKeys, boolean asciiOnly, String itemSeparator, String keySeparator, int indent) {
    static final Layout REFERENCE_CANONICAL = new Layout(true, false, ",", ":", -1);
    static final Layout SORTED_ASCII = new Layout(true, true, ", ", ": ", -1);
    static final Layout COMPACT = new Layout(false, false, ",", ":", -1);
    static final Layout COMPACT_SORTED_ASCII = new Layout(true, true, ",", ":", -1);
    static final Layout DEFAULT = new Layout(false, true, ", ", ": ", -1);
  }

  private PythonJson() {}

  /** How Python sorts {@code str} keys ({@code sort_keys=True}): by code point, not UTF-16 unit. */
  public static java.util.Comparator<String> keyOrder() {
    return JsonText.CODE_POINT_ORDER;
  }

  /**
   * The reference's canonical UTF-8 bytes: keys by code point, no whitespace, integers as written,
   * floats as {@link #floatRepr}.
   */
  public static byte[] canonicalize(JsonNode value) {
    return canonicalString(value).getBytes(StandardCharsets.UTF_8);
  }

  /** The reference's canonical text; see {@link #canonicalize}. */
  public static String canonicalString(JsonNode value) {
    return dumps(value, Layout.REFERENCE_CANONICAL);
  }

  /**
   * Python {@code json.dumps(value, indent=indent, ensure_ascii=False)}: keys in insertion order,
   * one member per line, {@code ": "} after keys, no trailing newline (the layout of the
   * reference's exports).
   */
  public static String dumpsIndented(JsonNode value, int indent) {
    if (indent < 0) {
      throw new IllegalArgumentException("indent must not be negative, was " + indent);
    }
    return dumps(value, new Layout(false, false, ",", ": ", indent));
  }

  /**
   * Python {@code json.dumps(value, indent=indent)} with its default {@code ensure_ascii=True}: as
   * {@link #dumpsIndented} but every character outside printable ASCII escaped as {@code
   * \}{@code uxxxx} (astral characters as surrogate pairs). The layout of the members of the
   * reference's {@code .pqz} archive (aiss.md §2.7).
   */
  public static String dumpsIndentedAscii(JsonNode value, int indent) {
    if (indent < 0) {
      throw new IllegalArgumentException("indent must not be negative, was " + indent);
    }
    return dumps(value, new Layout(false, true, ",", ": ", indent));
  }

  /**
   * Python {@code json.dumps(value)} with every default: keys in insertion order, separators {@code
   * ", "} and {@code ": "}, ASCII only. The reference's {@code .pqz} index measures each event in
   * this form (aiss.md §2.7).
   */
  public static String dumpsDefault(JsonNode value) {
    return dumps(value, Layout.DEFAULT);
  }

  /**
   * Python {@code json.dumps(value, sort_keys=True)}: separators {@code ", "} and {@code ": "},
   * non-ASCII escaped as {@code \}{@code uxxxx} (e.g. {@code {"n": 1, "prompt_hash": "ab"}}).
   */
  public static String dumpsSortedAscii(JsonNode value) {
    return dumps(value, Layout.SORTED_ASCII);
  }

  /**
   * Compact JSON in insertion order with raw UTF-8 strings ({@code json.dumps(value,
   * separators=(",", ":"), ensure_ascii=False)}; also what pydantic's {@code model_dump_json}
   * prints for strings, integers and nested objects). Numbers parsed with {@link
   * CanonicalJson#parseKeepingFloatText} are printed as received.
   */
  public static String dumpsCompact(JsonNode value) {
    return dumps(value, Layout.COMPACT);
  }

  /**
   * Appends {@code s} as a JSON string the way {@link #dumpsCompact} writes strings: raw UTF-8,
   * only {@code "}, {@code \} and control characters escaped.
   *
   * @throws CanonicalJsonException for a lone surrogate, which has no UTF-8 form
   */
  public static void appendString(StringBuilder out, String s) {
    JsonText.appendQuoted(out, s, JsonPath.ROOT);
  }

  /** Appends {@link #dumpsCompact} of {@code value} to {@code out}. */
  public static void appendCompact(StringBuilder out, JsonNode value) {
    write(value, JsonPath.ROOT, Layout.COMPACT, 0, out);
  }

  /** {@code json.dumps(value, separators=(",", ":"), sort_keys=True)}: compact, sorted, ASCII. */
  public static String dumpsCompactSortedAscii(JsonNode value) {
    return dumps(value, Layout.COMPACT_SORTED_ASCII);
  }

  private static String dumps(JsonNode value, Layout layout) {
    StringBuilder out = new StringBuilder();
    write(value, JsonPath.ROOT, layout, 0, out);
    return out.toString();
  }

  private static void write(
      JsonNode value, JsonPath path, Layout layout, int level, StringBuilder out) {
    switch (value.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(value.properties());
        if (layout.sortKeys()) {
          members.sort(Map.Entry.comparingByKey(JsonText.CODE_POINT_ORDER));
        }
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          Map.Entry<String, JsonNode> member = members.get(i);
          separate(i, layout, level + 1, out);
          JsonPath memberPath = path.property(member.getKey());
          appendString(out, member.getKey(), layout, memberPath);
          out.append(layout.keySeparator());
          write(member.getValue(), memberPath, layout, level + 1, out);
        }
        close(members.isEmpty(), layout, level, out);
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < value.size(); i++) {
          separate(i, layout, level + 1, out);
          write(value.get(i), path.element(i), layout, level + 1, out);
        }
        close(value.isEmpty(), layout, level, out);
        out.append(']');
      }
      case STRING -> appendString(out, value.stringValue(), layout, path);
      case NUMBER -> out.append(number(value, path));
      case BOOLEAN -> out.append(value.booleanValue());
      case NULL -> out.append("null");
      case POJO -> {
        if (value instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw) {
          out.append(raw.rawValue());
        } else {
          throw CanonicalJson.notJson(value, path);
        }
      }
      default -> throw CanonicalJson.notJson(value, path);
    }
  }

  private static void separate(int index, Layout layout, int level, StringBuilder out) {
    if (index > 0) {
      out.append(layout.itemSeparator());
    }
    newline(layout, level, out);
  }

  // Python writes empty containers as [] and {} even when indenting.
  private static void close(boolean empty, Layout layout, int level, StringBuilder out) {
    if (!empty) {
      newline(layout, level, out);
    }
  }

  private static void newline(Layout layout, int level, StringBuilder out) {
    if (layout.indent() >= 0) {
      out.append('\n').repeat(' ', layout.indent() * level);
    }
  }

  private static void appendString(StringBuilder out, String s, Layout layout, JsonPath path) {
    if (layout.asciiOnly()) {
      JsonText.appendQuotedAscii(out, s);
    } else {
      JsonText.appendQuoted(out, s, path);
    }
  }

  private static String number(JsonNode value, JsonPath path) {
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    double d = CanonicalJson.toDouble(value);
    if (!Double.isFinite(d)) {
      throw new CanonicalJsonException("number at " + path + " is not finite: " + value);
    }
    return floatRepr(d);
  }

  /**
   * Python {@code repr(float)}: shortest round-trip digits; scientific notation when the decimal
   * exponent is below −4 or at least 16, with a signed exponent of at least two digits ({@code
   * 1e-07}, {@code 1e+16}); otherwise plain with at least one fractional digit ({@code 100.0},
   * {@code -0.0}). NaN and the infinities give {@code nan}, {@code inf} and {@code -inf}.
   */
  public static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
    if (d == 0) {
      return sign + "0.0";
    }
    ShortestDecimal decimal = ShortestDecimal.of(d);
    String s = decimal.digits();
    int k = s.length();
    int n = decimal.exponent();
    int e = decimal.scientificExponent();
    StringBuilder out = new StringBuilder(k + 8).append(sign);
    if (e < -4 || e >= 16) {
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+');
      if (Math.abs(e) < 10) {
        out.append('0');
      }
      out.append(Math.abs(e));
    } else if (n <= 0) {
      out.append("0.").repeat('0', -n).append(s);
    } else if (n >= k) {
      out.append(s).repeat('0', n - k).append(".0");
    } else {
      out.append(s, 0, n).append('.').append(s, n, k);
    }
    return out.toString();
  }

  /**
   * Python {@code str()} of the value {@code json.loads} would give: a string as-is, anything else
   * as {@link #repr}. This is what the reference's session bridge hashes (aiss.md §2.6).
   */
  public static String str(JsonNode value) {
    return value.isString() ? value.stringValue() : repr(value);
  }

  /**
   * Python {@code repr()} of the value {@code json.loads} would give: {@code True}, {@code None},
   * {@code 1.0}, {@code 'text'}, {@code [1, 2]}, {@code {'k': 'v'}} with keys in insertion order.
   */
  public static String repr(JsonNode value) {
    StringBuilder out = new StringBuilder();
    PythonRepr.append(value, out);
    return out.toString();
  }
}
