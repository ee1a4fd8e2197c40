package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.PairingCallbacks.Action;
import dev.handshake.pairing.PairingCallbacks.Outcome;
import dev.handshake.pairing.PairingCallbacks.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Signed approve/deny button data (pairing.md §3.2 rule 5, §4 item 8). */
class PairingCallbacksTest {
  static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
  static final Pepper PEPPER = Pepper.of(new byte[32]);
  static final String OWNER = "telegram:42";
  static final Set<String> OWNERS = Set.of(OWNER);
  static final Requester ANN = Requester.of("telegram", "111");

  private final PairingTestClock clock = new PairingTestClock(START);
  private final PairingStore store = PairingStores.inMemory(PairingConfig.defaults(), PEPPER, clock);
  private final PairingCallbacks callbacks = PairingCallbacks.create(PEPPER, clock);

  @AfterEach
  void close() {
    store.close();
  }

  private RequestOutcome.Created request(Requester who) {
    return (RequestOutcome.Created) store.request(who, Map.of("name", "Ann"), Optional.empty());
  }

  private String sign(Action action, PairingRequest r) {
    return callbacks.sign(action, r.requestId(), r.expiresAt());
  }

  private static Refusal refusal(Outcome o) {
    assertThat(o).as("outcome").isInstanceOf(Outcome.Refused.class);
    return ((Outcome.Refused) o).refusal();
  }

  @Test
  @DisplayName("item 8: signed approve data fits Telegram's 64 bytes and approves its request")
  void item8_signedApproveDataFitsTelegramAndApproves() {
    PairingRequest r = request(ANN).request();
    String data = sign(Action.APPROVE, r);

    Outcome o = callbacks.handle(data, OWNER, OWNERS, store);

    assertThat(data.getBytes(StandardCharsets.UTF_8)).as(data).hasSizeLessThanOrEqualTo(64);
    assertThat(data).startsWith("pa1:a.").matches("pa1:a\\.[A-Za-z0-9_-]{22}\\.[0-9a-z]{6,7}\\.[A-Za-z0-9_-]{22}");
    assertThat(o).isInstanceOfSatisfying(Outcome.Resolved.class, res -> {
      assertThat(res.action()).isEqualTo(Action.APPROVE);
      assertThat(res.resolution()).isInstanceOfSatisfying(Resolution.Approved.class,
          a -> assertThat(a.grant().approvedBy()).as("the clicker is the approver").isEqualTo(OWNER));
    });
    assertThat(store.isPaired(ANN)).isTrue();
  }

  @Test
  @DisplayName("item 8: deny data denies for good and writes no grant")
  void item8_denyDataDenies() {
    PairingRequest r = request(ANN).request();

    Outcome o = callbacks.handle(sign(Action.DENY, r), OWNER, OWNERS, store);

    assertThat(o).isInstanceOfSatisfying(Outcome.Resolved.class,
        res -> assertThat(res.resolution()).isInstanceOf(Resolution.Denied.class));
    assertThat(store.grant(ANN)).isEmpty();
  }

  @Test
  @DisplayName("item 8: a MAC shorter than 128 bits is refused")
  void item8_shortMacIsRefused() {
    PairingRequest r = request(ANN).request();
    String data = sign(Action.APPROVE, r);
    String body = data.substring(0, data.lastIndexOf('.'));
    byte[] mac = Base64.getUrlDecoder().decode(data.substring(data.lastIndexOf('.') + 1));
    String eightBytes = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(java.util.Arrays.copyOf(mac, 8));

    assertThat(refusal(callbacks.handle(body + "." + eightBytes, OWNER, OWNERS, store)))
        .isEqualTo(Refusal.MAC_TOO_SHORT);
    assertThat(refusal(callbacks.handle(body + "." + data.substring(data.lastIndexOf('.') + 1, data.length() - 1),
        OWNER, OWNERS, store))).as("15 bytes and a bit").isIn(Refusal.MAC_TOO_SHORT, Refusal.MALFORMED);
    assertThat(store.isPaired(ANN)).isFalse();
  }

  @Test
  @DisplayName("item 8: an expired callback is refused, even while the request lives")
  void item8_expiredCallbackIsRefused() {
    PairingRequest r = request(ANN).request();
    String data = callbacks.sign(Action.APPROVE, r.requestId(), START.plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(10));

    assertThat(refusal(callbacks.handle(data, OWNER, OWNERS, store))).isEqualTo(Refusal.EXPIRED);
    assertThat(store.find(r.requestId()).orElseThrow().state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  @DisplayName("item 8: a click by a non-owner is refused and changes nothing")
  void item8_nonOwnerIsRefused() {
    PairingRequest r = request(ANN).request();
    String data = sign(Action.APPROVE, r);

    assertThat(refusal(callbacks.handle(data, "telegram:111", OWNERS, store))).isEqualTo(Refusal.NOT_OWNER);
    assertThat(refusal(callbacks.handle(data, OWNER, Set.of(), store)))
        .as("no owners configured means nobody").isEqualTo(Refusal.NOT_OWNER);
    assertThat(refusal(callbacks.handle(data, "", Set.of(""), store))).isEqualTo(Refusal.NOT_OWNER);
    assertThat(store.find(r.requestId()).orElseThrow().state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  @DisplayName("item 8: tampered action, request id or expiry fails the MAC")
  void item8_tamperedDataFailsTheMac() {
    PairingRequest r = request(ANN).request();
    PairingRequest other = request(Requester.of("telegram", "222")).request();
    String deny = sign(Action.DENY, r);
    String[] p = deny.substring(4).split("\\.");
    String mac = p[3];
    String otherId = sign(Action.DENY, other).substring(4).split("\\.")[1];

    assertThat(refusal(callbacks.handle("pa1:a." + p[1] + "." + p[2] + "." + mac, OWNER, OWNERS, store)))
        .as("deny turned into approve").isEqualTo(Refusal.BAD_MAC);
    assertThat(refusal(callbacks.handle("pa1:d." + otherId + "." + p[2] + "." + mac, OWNER, OWNERS, store)))
        .as("another request").isEqualTo(Refusal.BAD_MAC);
    assertThat(refusal(callbacks.handle("pa1:d." + p[1] + ".zzzzzzz." + mac, OWNER, OWNERS, store)))
        .as("a later expiry").isEqualTo(Refusal.BAD_MAC);
    assertThat(store.pending(Optional.empty())).hasSize(2);
  }

  @Test
  @DisplayName("item 8: data signed under another server's pepper fails the MAC")
  void item8_anotherPeppersDataFailsTheMac() {
    PairingRequest r = request(ANN).request();
    byte[] other = new byte[32];
    other[0] = 1;
    String data = PairingCallbacks.create(Pepper.of(other), clock)
        .sign(Action.APPROVE, r.requestId(), r.expiresAt());

    assertThat(refusal(callbacks.handle(data, OWNER, OWNERS, store))).isEqualTo(Refusal.BAD_MAC);
  }

  @Test
  @DisplayName("item 8: malformed data is a refusal, never an exception")
  void item8_malformedDataIsRefused() {
    for (String data : new String[] {"", "pa1:", "pa1:a", "pa1:x.AAAAAAAAAAAAAAAAAAAAAA.1.AAAAAAAAAAAAAAAAAAAAAA",
        "pa1:a.short.1.AAAAAAAAAAAAAAAAAAAAAA", "pa1:a.AAAAAAAAAAAAAAAAAAAAAA.Z!.AAAAAAAAAAAAAAAAAAAAAA",
        "pa1:a.AAAAAAAAAAAAAAAAAAAAAA.1.AAAAAAAAAAAAAAAAAAAAAA==",
        "pa1:a.AAAAAAAAAAAAAAAAAAAAAA.123456789.AAAAAAAAAAAAAAAAAAAAAA",
        "pa1:a.AAAAAAAAAAAAAAAAAAAAAA.1.AAAAAAAAAAAAAAAAAAAAAA.extra", "approve:123", "x".repeat(10_000),
        "pa1:a.AAAAAAAAAAAAAAAAAAAAAA.1." + "A".repeat(43)}) {
      assertThat(refusal(callbacks.handle(data, OWNER, OWNERS, store))).as(data.length() > 80 ? "long" : data)
          .isEqualTo(Refusal.MALFORMED);
    }
  }

  @Test
  @DisplayName("item 8: PraisonAI's 32-bit callback data is refused while the compat switch is off")
  void item8_praisonaiDataIsRefusedByDefault() {
    RequestOutcome.Created c = request(ANN);
    String data = praisonai("approve", "telegram", "111", c.code().reveal(), "secret");

    assertThat(callbacks.praisonaiCallbacks()).isFalse();
    assertThat(refusal(callbacks.handle(data, OWNER, OWNERS, store))).isEqualTo(Refusal.MAC_TOO_SHORT);
    assertThat(store.isPaired(ANN)).isFalse();
  }

  @Test
  @DisplayName("item 8: with praisonaiCallbacks=true PraisonAI data approves the sender bound to the code")
  void item8_praisonaiDataApprovesWhenCompatIsOn() {
    RequestOutcome.Created c = request(ANN);
    PairingCallbacks compat = callbacks.acceptingPraisonAi("secret");

    Outcome o = compat.handle(praisonai("approve", "telegram", "111", c.code().reveal(), "secret"),
        OWNER, OWNERS, store);

    assertThat(compat.praisonaiCallbacks()).isTrue();
    assertThat(o).isInstanceOfSatisfying(Outcome.Resolved.class,
        res -> assertThat(res.resolution()).isInstanceOf(Resolution.Approved.class));
    assertThat(store.isPaired(ANN)).isTrue();
  }

  @Test
  @DisplayName("item 8: with compat on, PraisonAI data still needs its MAC, an owner and the right code")
  void item8_praisonaiDataIsCheckedWhenCompatIsOn() {
    RequestOutcome.Created c = request(ANN);
    PairingCallbacks compat = callbacks.acceptingPraisonAi("secret");
    String good = praisonai("deny", "telegram", "111", c.code().reveal(), "secret");
    String wrongKey = praisonai("deny", "telegram", "111", c.code().reveal(), "other");
    String wrongCode = praisonai("approve", "telegram", "111",
        c.code().reveal().startsWith("A") ? "BBBBBBBB" : "AAAAAAAA", "secret");

    assertThat(refusal(compat.handle(wrongKey, OWNER, OWNERS, store))).isEqualTo(Refusal.BAD_MAC);
    assertThat(refusal(compat.handle(good, "telegram:111", OWNERS, store))).isEqualTo(Refusal.NOT_OWNER);
    assertThat(refusal(compat.handle(good.substring(0, good.length() - 2), OWNER, OWNERS, store)))
        .isEqualTo(Refusal.MAC_TOO_SHORT);
    assertThat(refusal(compat.handle("pair:approve:telegram:111:" + c.code().reveal(), OWNER, OWNERS, store)))
        .isEqualTo(Refusal.MALFORMED);
    assertThat(compat.handle(wrongCode, OWNER, OWNERS, store)).isInstanceOfSatisfying(Outcome.Resolved.class,
        res -> assertThat(res.resolution()).isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.WRONG_CODE)));
    assertThat(store.isPaired(ANN)).isFalse();
    assertThat(compat.handle(good, OWNER, OWNERS, store)).isInstanceOfSatisfying(Outcome.Resolved.class,
        res -> assertThat(res.resolution()).isInstanceOf(Resolution.Denied.class));
  }

  @Test
  @DisplayName("item 8: our own data keeps working with compat on")
  void item8_ownDataWorksWithCompatOn() {
    PairingRequest r = request(ANN).request();
    PairingCallbacks compat = callbacks.acceptingPraisonAi("secret");

    assertThat(compat.handle(sign(Action.APPROVE, r), OWNER, OWNERS, store))
        .isInstanceOf(Outcome.Resolved.class);
  }

  /** PraisonAI's layout with the assumed HMAC input {@code pair:action:channel:user:code}. */
  private static String praisonai(String action, String channel, String user, String code, String secret) {
    String payload = "pair:" + action + ":" + channel + ":" + user + ":" + code;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String hex = HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
      return payload + ":" + hex.substring(0, 8);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
