package dev.handshake.pairing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed approve/deny button data for chat adapters, and the one place a button click becomes an
 * approval (pairing.md §3.2 rule 5, §4 item 8). The data names the request by id, carries an
 * expiry and a 128-bit HMAC, and a click counts only when the clicking user is a configured owner:
 * PraisonAI checked neither the clicker nor more than 32 bits (§3.1 defect 3).
 *
 * <p>Format ({@value #PREFIX}; 58 ASCII bytes, 59 from 2038, under Telegram's 64-byte {@code
 * callback_data} limit): {@code pa1:<a|d>.<requestId>.<expiry>.<mac>} where {@code requestId} is
 * the request's UUID as 16 bytes in unpadded base64url (22 characters), {@code expiry} the epoch
 * second from which the button is dead in lower-case base 36 (6 characters until 2038, then 7
 * until the year 4400; at most 8 are read), and {@code
 * mac} the first 16 bytes of HMAC-SHA256 under {@code pepper.derive("pairing-callback")} of
 * everything before the last dot, in unpadded base64url (22 characters).
 *
 * <pre>{@code
 * PairingCallbacks buttons = PairingCallbacks.create(pepper, clock);
 * String approve = buttons.sign(Action.APPROVE, request.requestId(), request.expiresAt());
 * // later, when a user taps it:
 * Outcome o = buttons.handle(data, "telegram:42", owners, store);
 * }</pre>
 *
 * <p>With {@link #acceptingPraisonAi} ({@code pairing.compat.praisonaiCallbacks=true}) PraisonAI's
 * {@code pair:{action}:{channel}:{user_id}:{code}:{sig}} is accepted too; otherwise it is refused
 * as {@link Refusal#MAC_TOO_SHORT}, since its {@code sig} is 32 bits.
 */
public final class PairingCallbacks {
  /** The start of our callback data, with its format version. */
  public static final String PREFIX = "pa1:";
  /** Bytes of MAC our data carries (128 bits). */
  public static final int MAC_BYTES = 16;
  /** Longest data looked at; anything longer is {@link Refusal#MALFORMED}. */
  public static final int MAX_DATA = 512;

  private static final String PRAISONAI_PREFIX = "pair:";
  private static final int PRAISONAI_SIG_HEX = 8;
  private static final int ID_CHARS = 22;
  private static final int MAX_EXPIRY_CHARS = 8;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

  private final Pepper key;
  private final Clock clock;
  private final Optional<SecretKeySpec> praisonaiKey;

  private PairingCallbacks(Pepper key, Clock clock, Optional<SecretKeySpec> praisonaiKey) {
    this.key = key;
    this.clock = clock;
    this.praisonaiKey = praisonaiKey;
  }

  /** Callbacks signed with {@code pepper}'s {@code pairing-callback} key; PraisonAI's refused. */
  public static PairingCallbacks create(Pepper pepper, Clock clock) {
    return new PairingCallbacks(pepper.derive("pairing-callback"), clock, Optional.empty());
  }

  /**
   * The same callbacks, also accepting PraisonAI's 32-bit format ({@code
   * pairing.compat.praisonaiCallbacks=true}).
   *
   * @param callbackSecret PraisonAI's {@code PRAISONAI_CALLBACK_SECRET}, else its gateway secret,
   *     as the text it is configured as; its UTF-8 bytes are the HMAC key (unconfirmed, pairing.md
   *     §5)
   */
  public PairingCallbacks acceptingPraisonAi(String callbackSecret) {
    if (callbackSecret.isEmpty()) {
      throw new IllegalArgumentException("the PraisonAI callback secret must not be empty");
    }
    return new PairingCallbacks(key, clock, Optional.of(
        new SecretKeySpec(callbackSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
  }

  /** Whether PraisonAI's {@code pair:…} data is accepted. */
  public boolean praisonaiCallbacks() {
    return praisonaiKey.isPresent();
  }

  /** What a button does. */
  public enum Action {
    APPROVE('a', "approve"),
    DENY('d', "deny");

    private final char letter;
    private final String praisonaiName;

    Action(char letter, String praisonaiName) {
      this.letter = letter;
      this.praisonaiName = praisonaiName;
    }

    static Optional<Action> ofLetter(String s) {
      return Arrays.stream(values()).filter(a -> s.length() == 1 && s.charAt(0) == a.letter)
          .findFirst();
    }

    static Optional<Action> ofPraisonAi(String s) {
      return Arrays.stream(values()).filter(a -> a.praisonaiName.equals(s)).findFirst();
    }
  }

  /** Why a click was not passed to the store. */
  public enum Refusal {
    /** The MAC does not match: forged or altered data, or another server's key. */
    BAD_MAC,
    /** The MAC is shorter than 128 bits (PraisonAI's 32-bit format while compat is off). */
    MAC_TOO_SHORT,
    /** The button's expiry has passed. */
    EXPIRED,
    /** The clicking user is not one of the configured owners. */
    NOT_OWNER,
    /** Not callback data of a known format. */
    MALFORMED
  }

  /** What a click did. */
  public sealed interface Outcome {
    /** The store was asked; {@code resolution} says whether it approved, denied or why not. */
    record Resolved(Action action, Resolution resolution) implements Outcome {}

    /** The click was refused before reaching the store. */
    record Refused(Refusal refusal) implements Outcome {}
  }

  /**
   * Button data for {@code action} on request {@code requestId}, dead from {@code expiresAt}
   * (rounded down to the second): usually the request's own expiry.
   *
   * @throws IllegalArgumentException if {@code requestId} is not a UUID or {@code expiresAt} is
   *     before 1970
   */
  public String sign(Action action, String requestId, Instant expiresAt) {
    UUID id = UUID.fromString(requestId);
    if (expiresAt.getEpochSecond() < 0) {
      throw new IllegalArgumentException("expiry before 1970: " + expiresAt);
    }
    ByteBuffer raw = ByteBuffer.allocate(16);
    raw.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    String body = PREFIX + action.letter + "." + B64.encodeToString(raw.array()) + "."
        + Long.toString(expiresAt.getEpochSecond(), 36);
    return body + "." + B64.encodeToString(mac(body));
  }

  /**
   * Acts on a click: checks the data and the clicker, then approves or denies through {@code
   * store} as {@code Approver.named(clickingUserId)}. Never throws for bad data.
   *
   * @param clickingUserId the user who clicked, in the form {@code owners} uses (for example
   *     {@code telegram:123456789})
   * @param owners who may approve; empty means nobody
   */
  public Outcome handle(
      String data, String clickingUserId, Set<String> owners, PairingStore store) {
    if (data.length() > MAX_DATA) {
      return refused(Refusal.MALFORMED);
    }
    if (data.startsWith(PRAISONAI_PREFIX)) {
      return praisonaiKey.isPresent()
          ? handlePraisonAi(data, praisonaiKey.get(), clickingUserId, owners, store)
          : refused(Refusal.MAC_TOO_SHORT);
    }
    if (!data.startsWith(PREFIX)) {
      return refused(Refusal.MALFORMED);
    }
    int lastDot = data.lastIndexOf('.');
    String[] parts = data.substring(PREFIX.length()).split("\\.", -1);
    if (parts.length != 4) {
      return refused(Refusal.MALFORMED);
    }
    Optional<Action> action = Action.ofLetter(parts[0]);
    Optional<UUID> requestId = uuid(parts[1]);
    Optional<Long> expiry = base36(parts[2]);
    Optional<byte[]> presented = base64url(parts[3]);
    if (action.isEmpty() || requestId.isEmpty() || expiry.isEmpty() || presented.isEmpty()) {
      return refused(Refusal.MALFORMED);
    }
    if (presented.get().length < MAC_BYTES) {
      return refused(Refusal.MAC_TOO_SHORT);
    }
    if (presented.get().length > MAC_BYTES) {
      return refused(Refusal.MALFORMED);
    }
    if (!MessageDigest.isEqual(presented.get(), mac(data.substring(0, lastDot)))) {
      return refused(Refusal.BAD_MAC);
    }
    if (clock.instant().getEpochSecond() >= expiry.get()) {
      return refused(Refusal.EXPIRED);
    }
    if (!isOwner(clickingUserId, owners)) {
      return refused(Refusal.NOT_OWNER);
    }
    ApprovalTarget target = new ApprovalTarget.ById(requestId.get().toString());
    return resolve(action.get(), target, clickingUserId, store);
  }

  private static Outcome handlePraisonAi(String data, SecretKeySpec secret, String clicker,
      Set<String> owners, PairingStore store) {
    String[] parts = data.split(":", -1);
    if (parts.length != 6) {
      return refused(Refusal.MALFORMED);
    }
    Optional<Action> action = Action.ofPraisonAi(parts[1]);
    String sig = parts[5].toLowerCase(java.util.Locale.ROOT);
    if (action.isEmpty() || !isHex(sig)) {
      return refused(Refusal.MALFORMED);
    }
    if (sig.length() != PRAISONAI_SIG_HEX) {
      return sig.length() < PRAISONAI_SIG_HEX ? refused(Refusal.MAC_TOO_SHORT)
          : refused(Refusal.MALFORMED);
    }
    // Assumed HMAC input (pairing.md §5 leaves it unconfirmed): the data up to the last colon.
    String payload = data.substring(0, data.lastIndexOf(':'));
    String expected =
        HexFormat.of().formatHex(hmac(secret, payload)).substring(0, PRAISONAI_SIG_HEX);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        sig.getBytes(StandardCharsets.US_ASCII))) {
      return refused(Refusal.BAD_MAC);
    }
    if (!isOwner(clicker, owners)) {
      return refused(Refusal.NOT_OWNER);
    }
    Optional<PairingCode> code = PairingCode.parse(parts[4], store.config().alphabet());
    Requester requester;
    try {
      requester = Requester.of(parts[2], parts[3]);
    } catch (IllegalArgumentException badIdentity) {
      return refused(Refusal.MALFORMED);
    }
    if (code.isEmpty()) {
      return refused(Refusal.MALFORMED);
    }
    return resolve(action.get(), new ApprovalTarget.BySenderAndCode(requester, code.get()),
        clicker, store);
  }

  private static Outcome resolve(
      Action action, ApprovalTarget target, String clicker, PairingStore store) {
    Approver approver = Approver.named(clicker);
    Resolution r = action == Action.APPROVE ? store.approve(target, approver)
        : store.deny(target, approver);
    return new Outcome.Resolved(action, r);
  }

  private static boolean isOwner(String clicker, Set<String> owners) {
    return !clicker.isBlank() && clicker.length() <= 256 && owners.contains(clicker);
  }

  private static Outcome refused(Refusal r) {
    return new Outcome.Refused(r);
  }

  private byte[] mac(String body) {
    return Arrays.copyOf(key.mac(body.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
  }

  private static byte[] hmac(SecretKeySpec secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static Optional<UUID> uuid(String text) {
    if (text.length() != ID_CHARS) {
      return Optional.empty();
    }
    return base64url(text).filter(b -> b.length == 16).map(b -> {
      ByteBuffer buf = ByteBuffer.wrap(b);
      return new UUID(buf.getLong(), buf.getLong());
    });
  }

  private static Optional<Long> base36(String text) {
    if (text.isEmpty() || text.length() > MAX_EXPIRY_CHARS) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(text, 36));
  }

  /** Unpadded base64url only: no {@code =}, no standard-alphabet characters. */
  private static Optional<byte[]> base64url(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_')) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(B64_DECODE.decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isHex(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "PairingCallbacks[praisonaiCallbacks=" + praisonaiCallbacks() + "]";
  }
}
