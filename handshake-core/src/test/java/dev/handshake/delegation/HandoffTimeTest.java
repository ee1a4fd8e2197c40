package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Datetimes as the reference's model library reads them, kept exactly as received. */
class HandoffTimeTest {
  /**
   * The usual wire form is read without the regular expression; a lowercase {@code t} still goes
   * through it. Both must agree on every input, valid or not, or a packet's signed text would
   * depend on which path read it.
   */
  @Test
  void theCommonFormReadsExactlyAsTheGeneralParserReadsIt() {
    List<String> dates = List.of("2026-11-21", "2024-02-29", "2026-02-29", "2026-13-01", "0001-01-01",
        "9999-12-31", "2026-1a-01", "2026-00-10");
    List<String> times = List.of("12:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:61", "1x:00:00");
    List<String> fractions = List.of("", ".5", ".123456", ".1234567", ".123456789", ".1234567891", ".",
        ".12a");
    List<String> offsets = List.of("Z", "+00:00", "-05:30", "+14:00", "+18:00", "+19:00", "-18:00",
        "+05:60", "+0530", "+05", "", "Zx", "+05:30:00", "z");
    int compared = 0;
    for (String d : dates) {
      for (String t : times) {
        for (String f : fractions) {
          for (String o : offsets) {
            String text = d + "T" + t + f + o;
            assertThat(HandoffTime.parse(text))
                .as(text)
                .isEqualTo(HandoffTime.parse(d + "t" + t + f + o));
            compared++;
          }
        }
      }
    }
    assertThat(compared).isEqualTo(8 * 6 * 8 * 14);
    assertThat(HandoffTime.parse("2026-11-21T12:00:00.1234567+05:30").orElseThrow().canonical())
        .isEqualTo("2026-11-21T12:00:00.123456+05:30");
    assertThat(HandoffTime.parse("2026-11-21T12:00:00+18:01")).isEmpty();
  }
}
