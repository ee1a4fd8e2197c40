package dev.handshake.delegation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A TrustHandoff datetime kept exactly as received: local date-time to the microsecond and the
 * offset as given (or none, for a naive value), so the signed text can be printed again byte for
 * byte (trusthandoff.md §2.3 rule 6). It is never normalised to an {@link Instant} before the
 * signature is checked; {@link #instant()} is for the time-window checks that follow.
 *
 * <p>Accepted input, like the reference's model library: ISO 8601 text with {@code T}, {@code t}
 * or a space between date and time, 1–9 fraction digits (truncated to microseconds), offset
 * {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}; or Unix seconds as a number or digit
 * string (values beyond 2·10^10 are milliseconds), which are UTC.
 */
public record HandoffTime(LocalDateTime local, Optional<ZoneOffset> offset) {
  private static final Pattern ISO =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
              + "(?:([Zz])|([+-])(\\d{2})(?::?(\\d{2}))?)?");
  private static final Pattern UNIX = Pattern.compile("-?\\d{1,19}(\\.\\d{1,9})?");
  private static final double MILLIS_FROM = 2e10;

  public HandoffTime {
    local = local.withNano(local.getNano() / 1000 * 1000);
  }

  /** A UTC time, printed with {@code Z}. */
  public static HandoffTime utc(Instant instant) {
    return new HandoffTime(
        LocalDateTime.ofInstant(instant, ZoneOffset.UTC), Optional.of(ZoneOffset.UTC));
  }

  /** The time a JSON value denotes, or empty when it is not one the reference would accept. */
  public static Optional<HandoffTime> parse(JsonNode value) {
    if (value.isString()) {
      return parse(value.stringValue());
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return fromUnix(value.longValue(), 0);
    }
    if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
      return fromUnixDouble(value.doubleValue());
    }
    return Optional.empty();
  }

  /** The time {@code text} denotes, or empty. */
  public static Optional<HandoffTime> parse(String text) {
    HandoffTime common = parseCommon(text);
    if (common != null) {
      return Optional.of(common);
    }
    Matcher m = ISO.matcher(text);
    if (m.matches()) {
      try {
        LocalDate date =
            LocalDate.of(num(m.group(1)), num(m.group(2)), num(m.group(3)));
        String fraction = m.group(7) == null ? "" : m.group(7);
        int nanos = fraction.isEmpty() ? 0 : num((fraction + "000000000").substring(0, 9));
        LocalTime time =
            LocalTime.of(
                num(m.group(4)), num(m.group(5)), m.group(6) == null ? 0 : num(m.group(6)), nanos);
        Optional<ZoneOffset> offset = Optional.empty();
        if (m.group(8) != null) {
          offset = Optional.of(ZoneOffset.UTC);
        } else if (m.group(9) != null) {
          int hours = num(m.group(10));
          int minutes = m.group(11) == null ? 0 : num(m.group(11));
          int sign = m.group(9).equals("-") ? -1 : 1;
          offset = Optional.of(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
        }
        return Optional.of(new HandoffTime(LocalDateTime.of(date, time), offset));
      } catch (java.time.DateTimeException e) {
        return Optional.empty();
      }
    }
    if (UNIX.matcher(text).matches()) {
      try {
        return fromUnixDouble(Double.parseDouble(text));
      } catch (NumberFormatException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The usual wire form, {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)} with valid values, read
   * without the regular expression (it runs twice per received packet); {@code null} for any other
   * text, which {@link #ISO} then reads (and refuses when the values are out of range).
   */
  private static HandoffTime parseCommon(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(t.charAt(i))) {
        nanos = nanos * 10 + (t.charAt(i++) - '0');
      }
      if (i == start || (i < n && isDigit(t.charAt(i)))) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    Optional<ZoneOffset> offset;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offset = Optional.of(ZoneOffset.UTC);
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int hours = digits(t, i + 1, 2);
      int minutes = digits(t, i + 4, 2);
      if ((hours | minutes) < 0) {
        return null;
      }
      int sign = t.charAt(i) == '-' ? -1 : 1;
      try {
        offset = Optional.of(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
      } catch (java.time.DateTimeException e) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return new HandoffTime(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int num(String digits) {
    return Integer.parseInt(digits);
  }

  private static Optional<HandoffTime> fromUnixDouble(double value) {
    double seconds = Math.abs(value) > MILLIS_FROM ? value / 1000 : value;
    long whole = (long) Math.floor(seconds);
    long micros = Math.round((seconds - whole) * 1_000_000);
    return fromUnix(whole, micros);
  }

  private static Optional<HandoffTime> fromUnix(long value, long micros) {
    long seconds = Math.abs(value) > MILLIS_FROM ? Math.floorDiv(value, 1000) : value;
    long extra = Math.abs(value) > MILLIS_FROM ? Math.floorMod(value, 1000) * 1000 : micros;
    try {
      return Optional.of(utc(Instant.ofEpochSecond(seconds, extra * 1000)));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** Whether the value carries an offset; the reference cannot validate naive datetimes. */
  public boolean aware() {
    return offset.isPresent();
  }

  /** The instant, for time-window checks; empty for a naive datetime. */
  public Optional<Instant> instant() {
    return offset.map(o -> local.toInstant(o));
  }

  /**
   * The signed form (rule 6): {@code T}, fraction only when the microseconds are not zero and then
   * six digits, {@code Z} for a zero offset, {@code ±HH:MM} otherwise, nothing when naive.
   */
  public String canonical() {
    return dateTime('T') + offset.map(o -> o.getTotalSeconds() == 0 ? "Z" : offsetText(o)).orElse("");
  }

  /** Python {@code isoformat()}: like {@link #canonical()} but {@code +00:00} for UTC. */
  public String isoformat() {
    return dateTime('T') + offset.map(HandoffTime::offsetText).orElse("");
  }

  /** Python {@code str(datetime)}: a space between date and time and {@code +00:00} for UTC. */
  public String pythonStr() {
    return dateTime(' ') + offset.map(HandoffTime::offsetText).orElse("");
  }

  private String dateTime(char separator) {
    StringBuilder sb = new StringBuilder(32);
    LocalDate d = local.toLocalDate();
    pad(sb, d.getYear(), 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    pad(sb, d.getDayOfMonth(), 2).append(separator);
    pad(sb, local.getHour(), 2).append(':');
    pad(sb, local.getMinute(), 2).append(':');
    pad(sb, local.getSecond(), 2);
    int micros = local.getNano() / 1000;
    if (micros != 0) {
      pad(sb.append('.'), micros, 6);
    }
    return sb.toString();
  }

  private static String offsetText(ZoneOffset o) {
    int total = o.getTotalSeconds();
    int abs = Math.abs(total);
    StringBuilder sb = new StringBuilder(6).append(total < 0 ? '-' : '+');
    pad(sb, abs / 3600, 2).append(':');
    pad(sb, abs / 60 % 60, 2);
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  @Override
  public String toString() {
    return canonical();
  }
}
