package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Owner notifications as plain data (pairing.md §3.2 rule 6, §4 item 11). */
class OwnerNotificationTest {
  static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
  static final Pepper PEPPER = Pepper.of(new byte[32]);

  private final PairingTestClock clock = new PairingTestClock(START);
  private final PairingStore store = PairingStores.inMemory(PairingConfig.defaults(), PEPPER, clock);

  @AfterEach
  void close() {
    store.close();
  }

  private RequestOutcome.Created request(Requester who, Map<String, String> meta) {
    return (RequestOutcome.Created) store.request(who, meta, Optional.empty());
  }

  /** Every character item 11 names, as code points. */
  private static final int[] FORBIDDEN = {
    0x00, 0x07, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F, // C0, DEL, C1
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
    0x061C, // bidi
    0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF // zero-width
  };

  private static void assertClean(String text) {
    for (int cp : FORBIDDEN) {
      assertThat(text.indexOf(cp)).as("U+%04X in %s", cp, text).isEqualTo(-1);
    }
  }

  @Test
  @DisplayName("item 11: the text is the fixed template")
  void item11_theTextIsTheFixedTemplate() {
    RequestOutcome.Created c = request(Requester.of("telegram", "123456789"), Map.of("name", "Ann"));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "telegram");

    assertThat(n.text()).isEqualTo(
        "Pairing request: Ann (123456789) via telegram \u2014 code " + c.code().display());
    assertThat(n.requestId()).isEqualTo(c.request().requestId());
    assertThat(n.requester()).isEqualTo(c.request().requester());
    assertThat(n.expiresAt()).isEqualTo(c.request().expiresAt());
    assertThat(n.buttons()).isEmpty();
  }

  @Test
  @DisplayName("item 11: without a code (a refreshed request) the code part is left out")
  void item11_withoutACodeTheCodePartIsLeftOut() {
    RequestOutcome.Created c = request(Requester.of("telegram", "123"), Map.of());

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.empty(), "telegram");

    assertThat(n.text()).as("no name given: the sender id stands in")
        .isEqualTo("Pairing request: 123 (123) via telegram");
  }

  @Test
  @DisplayName("item 11: C0/C1 control characters are stripped from every field")
  void item11_controlCharactersAreStripped() {
    RequestOutcome.Created c = request(Requester.of("telegram", "123"),
        Map.of("name", "Ann\nPairing request: Mallory (1) via telegram \u2014 code AAAA-AAAA\u0007\u001b[31m"));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "tele\u0085gram\r");

    assertClean(n.text());
    assertThat(n.text()).as("one line: a name cannot forge a second notification")
        .doesNotContain("\n").startsWith("Pairing request: AnnPairing request: Mallory");
    assertThat(n.channel()).isEqualTo("telegram");
  }

  @Test
  @DisplayName("item 11: bidi overrides, isolates and marks are stripped")
  void item11_bidiCharactersAreStripped() {
    StringBuilder name = new StringBuilder("evil");
    for (int cp : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
        0x2069, 0x200E, 0x200F, 0x061C}) {
      name.appendCodePoint(cp);
    }
    name.append("txt.exe");
    RequestOutcome.Created c = request(Requester.of("telegram", "\u202e321"), Map.of("name", name.toString()));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "\u2067telegram");

    assertClean(n.text());
    assertThat(n.name()).isEqualTo("eviltxt.exe");
    assertThat(n.senderId()).isEqualTo("321");
    assertThat(n.channel()).isEqualTo("telegram");
  }

  @Test
  @DisplayName("item 11: zero-width characters (and other invisible format characters) are stripped")
  void item11_zeroWidthCharactersAreStripped() {
    RequestOutcome.Created c = request(Requester.of("telegram", "1"),
        Map.of("name", "A\u200Bn\u200Cn\u200D\u2060\uFEFF\u00AD" + new String(Character.toChars(0xE0041))));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "telegram");

    assertClean(n.text());
    assertThat(n.name()).as("soft hyphen and tag characters go too").isEqualTo("Ann");
  }

  @Test
  @DisplayName("item 11: fields are cut to 64/64/32/16 characters")
  void item11_fieldsAreTruncated() {
    String longName = "N".repeat(200);
    String longId = "9".repeat(200);
    RequestOutcome.Created c = request(Requester.of("telegram", longId), Map.of("name", longName));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "c".repeat(100));

    assertThat(n.name().codePointCount(0, n.name().length())).isEqualTo(OwnerNotification.MAX_NAME);
    assertThat(n.senderId().codePointCount(0, n.senderId().length())).isEqualTo(OwnerNotification.MAX_ID);
    assertThat(n.channel().codePointCount(0, n.channel().length())).isEqualTo(OwnerNotification.MAX_CHANNEL);
    assertThat(n.name()).startsWith("N".repeat(63)).endsWith("\u2026");
    assertThat(OwnerNotification.MAX_NAME).isEqualTo(64);
    assertThat(OwnerNotification.MAX_ID).isEqualTo(64);
    assertThat(OwnerNotification.MAX_CHANNEL).isEqualTo(32);
    assertThat(OwnerNotification.MAX_CODE).isEqualTo(16);
    assertThat(n.text()).hasSizeLessThanOrEqualTo(
        "Pairing request:  () via  \u2014 code ".length() + 64 + 64 + 32 + 16);
  }

  @Test
  @DisplayName("item 11: truncation never splits a character outside the BMP")
  void item11_truncationKeepsSurrogatePairsWhole() {
    String emoji = new String(Character.toChars(0x1F600));
    RequestOutcome.Created c = request(Requester.of("telegram", "1"), Map.of("name", emoji.repeat(100)));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.empty(), "telegram");

    assertThat(n.name().codePoints().filter(cp -> Character.getType(cp) == Character.SURROGATE)).isEmpty();
    assertThat(n.name().codePointCount(0, n.name().length())).isEqualTo(64);
  }

  @Test
  @DisplayName("item 11: a hand-built notification is sanitised too")
  void item11_theConstructorSanitises() {
    OwnerNotification n = new OwnerNotification("id", Requester.of("telegram", "1"),
        "A\u202eB", "1\u200b", "x\u0000", Optional.empty(), START, Optional.empty());

    assertThat(n.text()).isEqualTo("Pairing request: AB (1) via x");
  }

  @Test
  @DisplayName("item 11: buttons carry signed callback data that approve or deny the request")
  void item11_buttonsCarrySignedCallbacks() {
    RequestOutcome.Created c = request(Requester.of("telegram", "111"), Map.of("name", "Ann"));
    PairingCallbacks callbacks = PairingCallbacks.create(PEPPER, clock);

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "telegram", callbacks);

    OwnerNotification.Buttons b = n.buttons().orElseThrow();
    assertThat(b.approveData()).startsWith("pa1:a.").hasSizeLessThanOrEqualTo(64);
    assertThat(b.denyData()).startsWith("pa1:d.").hasSizeLessThanOrEqualTo(64);
    assertThat(callbacks.handle(b.approveData(), "telegram:42", Set.of("telegram:42"), store))
        .isInstanceOfSatisfying(PairingCallbacks.Outcome.Resolved.class,
            r -> assertThat(r.resolution()).isInstanceOf(Resolution.Approved.class));
  }

  @Test
  @DisplayName("item 11: printing a notification does not print its code")
  void item11_toStringDoesNotRevealTheCode() {
    RequestOutcome.Created c = request(Requester.of("telegram", "111"), Map.of("name", "Ann"));

    OwnerNotification n = OwnerNotification.of(c.request(), Optional.of(c.code()), "telegram");

    assertThat(n.toString()).doesNotContain(c.code().reveal()).doesNotContain(c.code().display());
  }
}
