package dev.handshake.json;

import java.math.BigDecimal;

/**
 * The shortest decimal that reads back as a given double, closest to it when several are as short —
 * the digits both ECMAScript {@code Number.prototype.toString} and Python {@code repr(float)}
 * print. The value is {@code 0.digits × 10^exponent} (ECMAScript's {@code s} and {@code n}).
 *
 * <p>The digits come from {@link Double#toString(double)}, which since JDK 19 is shortest and
 * closest, with one exception: when a one-digit decimal would do, the JDK may still choose a closer
 * two-digit one ({@code 4.9E-324} where ECMAScript and Python print {@code 5e-324}). That case is
 * repaired here; the V8 number corpus checks the rest.
 */
record ShortestDecimal(String digits, int exponent) {

  /** The decimal of {@code |v|}; {@code v} must be finite and non-zero. */
  static ShortestDecimal of(double v) {
    String text = Double.toString(Math.abs(v));
    int e = text.indexOf('E');
    String mantissa = e < 0 ? text : text.substring(0, e);
    int dot = mantissa.indexOf('.');
    String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    int exponent = dot + (e < 0 ? 0 : Integer.parseInt(text.substring(e + 1)));
    int first = 0;
    while (all.charAt(first) == '0') {
      first++;
    }
    int last = all.length();
    while (all.charAt(last - 1) == '0') {
      last--;
    }
    ShortestDecimal d = new ShortestDecimal(all.substring(first, last), exponent - first);
    return d.digits.length() == 2 ? d.shortenedTo1Digit(Math.abs(v)) : d;
  }

  private ShortestDecimal shortenedTo1Digit(double v) {
    int lead = digits.charAt(0) - '0';
    ShortestDecimal down = new ShortestDecimal(Integer.toString(lead), exponent);
    ShortestDecimal up =
        lead == 9
            ? new ShortestDecimal("1", exponent + 1)
            : new ShortestDecimal(Integer.toString(lead + 1), exponent);
    boolean downFits = down.toDouble() == v;
    boolean upFits = up.toDouble() == v;
    if (downFits && upFits) {
      BigDecimal exact = new BigDecimal(v);
      int cmp = exact.subtract(down.toBigDecimal()).compareTo(up.toBigDecimal().subtract(exact));
      // Equidistant: ECMAScript takes the even digit.
      return cmp < 0 || (cmp == 0 && lead % 2 == 0) ? down : up;
    }
    if (downFits) {
      return down;
    }
    return upFits ? up : this;
  }

  private double toDouble() {
    return Double.parseDouble("0." + digits + "E" + exponent);
  }

  private BigDecimal toBigDecimal() {
    return new BigDecimal("0." + digits + "E" + exponent);
  }

  /** The exponent of the first digit in scientific notation ({@code d.ddd × 10^e}). */
  int scientificExponent() {
    return exponent - 1;
  }
}
