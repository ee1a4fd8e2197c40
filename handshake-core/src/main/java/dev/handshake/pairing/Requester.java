package dev.handshake.pairing;

/**
 * Who asks for access: a sender on a channel account ({@code telegram}, {@code default}, {@code
 * 123456789}). A code is bound to its requester when it is issued, and a grant names one (pairing.md
 * §3.2 rules 1 and 3); a display label never takes its place.
 *
 * @param channelType the platform, lower case ({@code telegram}, {@code device-flow})
 * @param accountId the bot or gateway account on that platform ({@value #DEFAULT_ACCOUNT} when it
 *     has one)
 * @param senderId the sender's stable id on the platform, as the platform gives it
 */
public record Requester(String channelType, String accountId, String senderId) {
  /** The account of a channel that has only one. */
  public static final String DEFAULT_ACCOUNT = "default";
  /** Longest accepted part, in characters. */
  public static final int MAX_PART = 256;

  public Requester {
    channelType = part("channel type", channelType).toLowerCase(java.util.Locale.ROOT);
    accountId = part("account id", accountId);
    senderId = part("sender id", senderId);
  }

  /** A sender on the channel's default account. */
  public static Requester of(String channelType, String senderId) {
    return new Requester(channelType, DEFAULT_ACCOUNT, senderId);
  }

  private static String part(String what, String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (v.length() > MAX_PART) {
      throw new IllegalArgumentException(what + " is longer than " + MAX_PART + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        throw new IllegalArgumentException(what + " contains a control character");
      }
    }
    return v;
  }

  /** {@code channel:account:sender}, how events and logs name the requester. */
  @Override
  public String toString() {
    return channelType + ":" + accountId + ":" + senderId;
  }
}
