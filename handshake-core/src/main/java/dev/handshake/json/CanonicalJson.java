package dev.handshake.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, for signing and
 * hashing. Keys sorted by UTF-16 code units, no whitespace, minimal string escaping, numbers as
 * ECMAScript prints the IEEE double.
 *
 * <p>Written here because the Java libraries on Maven Central are unsafe (one never returns on
 * {@code [1e-315]}, another formats most numbers wrongly). Checked against the RFC's examples and
 * V8's number corpus ({@code vectors/jcs}).
 *
 * <p>Everything is strict: {@link #parse} refuses duplicate keys, lone surrogates, non-finite
 * numbers and deep nesting, and the writers refuse NaN, infinities and lone surrogates. Canonical
 * text still depends on numbers being doubles, so what we sign is narrower: see {@link
 * #requireSignable}. Data from the Python reference is re-created with {@link PythonJson}.
 *
 * <pre>{@code
 * JsonNode event = CanonicalJson.parse(body);
 * CanonicalJson.requireSignable(event);
 * byte[] signingInput = CanonicalJson.canonicalize(event);
 * }</pre>
 */
public final class CanonicalJson {
  /** Default nesting limit of {@link #parse(byte[])}: deeper than any protocol message we read. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  private static final BigInteger MAX_SAFE_INTEGER =
      BigInteger.ONE.shiftLeft(53).subtract(BigInteger.ONE);

  private CanonicalJson() {}

  /** Parses UTF-8 JSON strictly (see the class comment) with {@link #DEFAULT_MAX_DEPTH}. */
  public static JsonNode parse(byte[] json) {
    return StrictJsonReader.read(json, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses UTF-8 JSON strictly, allowing at most {@code maxDepth} nested arrays and objects.
   * Parsing itself never recurses, but the writers here recurse once per level, so a limit far
   * above the default trades stack for depth.
   */
  public static JsonNode parse(byte[] json, int maxDepth) {
    return StrictJsonReader.read(json, maxDepth);
  }

  /** Parses JSON text strictly (see the class comment) with {@link #DEFAULT_MAX_DEPTH}. */
  public static JsonNode parse(String json) {
    return StrictJsonReader.read(json, DEFAULT_MAX_DEPTH);
  }

  /** Parses JSON text strictly, allowing at most {@code maxDepth} nested arrays and objects. */
  public static JsonNode parse(String json, int maxDepth) {
    return StrictJsonReader.read(json, maxDepth);
  }

  /**
   * Parses strictly like {@link #parse(String, int)} but keeps every number with a fraction or
   * exponent as its exact text (a {@link tools.jackson.databind.util.RawValue} node), for formats
   * whose signatures cover the number text as the signer printed it. {@link PythonJson}'s writers
   * print such numbers verbatim; the RFC 8785 writer refuses them.
   */
  public static JsonNode parseKeepingFloatText(String json, int maxDepth) {
    return StrictJsonReader.read(json, maxDepth, true);
  }

  /** The RFC 8785 canonical UTF-8 bytes of {@code value}. */
  public static byte[] canonicalize(JsonNode value) {
    return canonicalString(value).getBytes(StandardCharsets.UTF_8);
  }

  /** The RFC 8785 canonical text of {@code value}. */
  public static String canonicalString(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, JsonPath.ROOT, out);
    return out.toString();
  }

  private static void write(JsonNode value, JsonPath path, StringBuilder out) {
    switch (value.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(value.properties());
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          Map.Entry<String, JsonNode> member = members.get(i);
          if (i > 0) {
            out.append(',');
          }
          JsonPath memberPath = path.property(member.getKey());
          JsonText.appendQuoted(out, member.getKey(), memberPath);
          out.append(':');
          write(member.getValue(), memberPath, out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < value.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(value.get(i), path.element(i), out);
        }
        out.append(']');
      }
      case STRING -> JsonText.appendQuoted(out, value.stringValue(), path);
      case NUMBER -> out.append(formatNumber(finiteDouble(value, path)));
      case BOOLEAN -> out.append(value.booleanValue());
      case NULL -> out.append("null");
      default -> throw notJson(value, path);
    }
  }

  private static double finiteDouble(JsonNode number, JsonPath path) {
    double d = toDouble(number);
    if (!Double.isFinite(d)) {
      throw new CanonicalJsonException("number at " + path + " is not a finite double: " + number);
    }
    return d;
  }

  /**
   * The nearest double, or an infinity when out of range; Jackson's {@code doubleValue()} throws
   * for big numbers beyond the double range instead.
   */
  static double toDouble(JsonNode number) {
    if (number.isBigInteger()) {
      return number.bigIntegerValue().doubleValue();
    }
    if (number.isBigDecimal()) {
      return number.decimalValue().doubleValue();
    }
    return number.doubleValue();
  }

  static CanonicalJsonException notJson(JsonNode value, JsonPath path) {
    return new CanonicalJsonException(
        "value at " + path + " is not JSON data: " + value.getNodeType());
  }

  /**
   * Formats {@code d} as ECMAScript's {@code Number.prototype.toString} does (RFC 8785 §3.2.2.3):
   * shortest round-trip digits, plain notation from 1e-6 up to below 1e21, otherwise {@code
   * 1.5e+21} / {@code 1e-7}; {@code -0} prints as {@code 0}.
   *
   * @throws CanonicalJsonException for NaN and the infinities, which JSON cannot carry
   */
  public static String formatNumber(double d) {
    if (!Double.isFinite(d)) {
      throw new CanonicalJsonException(d + " cannot be represented in JSON");
    }
    if (d == 0) {
      return "0";
    }
    ShortestDecimal decimal = ShortestDecimal.of(d);
    String s = decimal.digits();
    int k = s.length();
    int n = decimal.exponent();
    StringBuilder out = new StringBuilder(k + 8);
    if (d < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(s).repeat('0', n - k);
    } else if (0 < n && n <= 21) {
      out.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").repeat('0', -n).append(s);
    } else {
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      int e = n - 1;
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }

  /**
   * Refuses {@code value} unless it lies in the subset where RFC 8785 and the Python reference
   * write the same bytes and no number depends on double rounding: no floating-point numbers at
   * all, integers within ±(2^53−1), no object whose keys sort differently by UTF-16 unit than by
   * code point (keys in U+E000–U+FFFF beside keys above U+FFFF), and only well-formed strings.
   * Carry larger integers and decimals as strings.
   *
   * @throws CanonicalJsonException naming the path of the first offending value
   */
  public static void requireSignable(JsonNode value) {
    requireSignable(value, JsonPath.ROOT);
  }

  private static void requireSignable(JsonNode value, JsonPath path) {
    switch (value.getNodeType()) {
      case OBJECT -> {
        List<String> keys = new ArrayList<>(value.propertyNames());
        keys.sort(null);
        for (int i = 0; i < keys.size(); i++) {
          requireWellFormed(keys.get(i), "key", path.property(keys.get(i)));
          // Sorted by UTF-16 units and ordered by code point pairwise: then both orders agree.
          if (i > 0 && JsonText.compareCodePoints(keys.get(i - 1), keys.get(i)) > 0) {
            throw new CanonicalJsonException(
                "keys of the object at "
                    + path
                    + " sort differently by UTF-16 unit and by code point: "
                    + JsonText.quotedAscii(keys.get(i - 1))
                    + " and "
                    + JsonText.quotedAscii(keys.get(i)));
          }
        }
        for (Map.Entry<String, JsonNode> member : value.properties()) {
          requireSignable(member.getValue(), path.property(member.getKey()));
        }
      }
      case ARRAY -> {
        for (int i = 0; i < value.size(); i++) {
          requireSignable(value.get(i), path.element(i));
        }
      }
      case STRING -> requireWellFormed(value.stringValue(), "string", path);
      case NUMBER -> {
        if (!value.isIntegralNumber()) {
          throw new CanonicalJsonException(
              "floating-point number "
                  + value
                  + " at "
                  + path
                  + " cannot be signed: its text differs between RFC 8785 and the reference");
        }
        if (value.bigIntegerValue().abs().compareTo(MAX_SAFE_INTEGER) > 0) {
          throw new CanonicalJsonException(
              "integer "
                  + value.bigIntegerValue()
                  + " at "
                  + path
                  + " is beyond ±(2^53−1) and cannot be signed; carry it as a string");
        }
      }
      case BOOLEAN, NULL -> {}
      default -> throw notJson(value, path);
    }
  }

  private static void requireWellFormed(String s, String what, JsonPath path) {
    int bad = JsonText.loneSurrogateAt(s);
    if (bad >= 0) {
      throw JsonText.loneSurrogate(s.charAt(bad), what, path);
    }
  }
}
