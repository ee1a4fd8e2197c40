package dev.handshake.session;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The change-log time format: ISO 8601 in UTC with {@code +00:00} and microseconds, the
 * fraction omitted when it is zero, as Python's {@code isoformat()} prints it (hpp.md §2.4).
 */
public final class Timestamps {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private Timestamps() {}

  public static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  public static Instant instant(long epochMicros) {
    return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
  }

  public static String format(long epochMicros) {
    long seconds = Math.floorDiv(epochMicros, 1_000_000L);
    int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
    String base = SECONDS.format(LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC));
    if (micros == 0) {
      return base + "+00:00";
    }
    return base + "." + String.format("%06d", micros) + "+00:00";
  }

  /**
   * Parses a diff cursor: an ISO date-time with offset (or {@code Z}); one without an offset is
   * read as UTC; a date alone is midnight UTC. Empty when the text is none of these.
   */
  public static Optional<Instant> parse(String text) {
    String t = text.trim();
    try {
      return Optional.of(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Optional.of(LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Optional.of(OffsetDateTime.parse(t.replace(' ', 'T')).toInstant());
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Optional.of(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
