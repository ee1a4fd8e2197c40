package dev.handshake.pairing;

import java.time.Instant;
import java.util.Optional;

/**
 * The message that tells an owner someone asks for access, as plain data (pairing.md §3.2 rule 6,
 * §4 item 11): a fixed template filled with sanitised fields, plus the structured fields a chat
 * adapter needs to render approve/deny buttons. It is built by code, never by a language model,
 * and must be sent as it is: a requester chooses its own display name, so anything that let the
 * agent rephrase or "summarise" the request would hand the requester a prompt injection into the
 * owner's approval path.
 *
 * <p>Text: {@code Pairing request: <name> (<id>) via <channel> — code <CODE>} (OpenClaw's format),
 * or without {@code " — code <CODE>"} when the code is not at hand (a refreshed request). Every
 * field has control, bidi and zero-width characters removed and is cut to 64 (name), 64 (id), 32
 * (channel) and 16 (code) characters. The canonical constructor sanitises too, so no instance
 * carries raw text.
 *
 * @param requestId the request, for the adapter's own bookkeeping and for {@code pairing approve}
 * @param requester who asks, unsanitised: for routing and lookups, never for display
 * @param name the requester's display name ({@value #NAME_KEY} in its display fields, else its
 *     sender id), sanitised
 * @param senderId the requester's sender id, sanitised
 * @param channel the channel the request came in on, sanitised
 * @param code the request's code, when the notification is built as the code is issued
 * @param expiresAt when the request (and its buttons) expire
 * @param buttons signed approve/deny callback data, when built with {@link PairingCallbacks}
 */
public record OwnerNotification(
    String requestId,
    Requester requester,
    String name,
    String senderId,
    String channel,
    Optional<PairingCode> code,
    Instant expiresAt,
    Optional<Buttons> buttons) {
  /** The display field a requester's name is read from. */
  public static final String NAME_KEY = "name";
  public static final int MAX_NAME = 64;
  public static final int MAX_ID = 64;
  public static final int MAX_CHANNEL = 32;
  public static final int MAX_CODE = 16;

  /** Callback data for the two buttons ({@link PairingCallbacks#sign}). */
  public record Buttons(String approveData, String denyData) {}

  public OwnerNotification {
    name = DisplayText.clean(name, MAX_NAME);
    senderId = DisplayText.clean(senderId, MAX_ID);
    channel = DisplayText.clean(channel, MAX_CHANNEL);
  }

  /** A notification without buttons (a channel that cannot show them, such as iMessage). */
  public static OwnerNotification of(
      PairingRequest request, Optional<PairingCode> code, String channel) {
    Requester r = request.requester();
    String name = request.displayMeta().getOrDefault(NAME_KEY, "");
    return new OwnerNotification(request.requestId(), r, name.isBlank() ? r.senderId() : name,
        r.senderId(), channel, code, request.expiresAt(), Optional.empty());
  }

  /** A notification with approve/deny buttons that expire with the request. */
  public static OwnerNotification of(PairingRequest request, Optional<PairingCode> code,
      String channel, PairingCallbacks callbacks) {
    OwnerNotification plain = of(request, code, channel);
    Buttons buttons = new Buttons(
        callbacks.sign(PairingCallbacks.Action.APPROVE, request.requestId(), request.expiresAt()),
        callbacks.sign(PairingCallbacks.Action.DENY, request.requestId(), request.expiresAt()));
    return new OwnerNotification(plain.requestId, plain.requester, plain.name, plain.senderId,
        plain.channel, plain.code, plain.expiresAt, Optional.of(buttons));
  }

  /** The fixed-template text to send the owner; it contains the code, so never log it. */
  public String text() {
    String base = "Pairing request: " + name + " (" + senderId + ") via " + channel;
    return code.map(c -> base + " \u2014 code " + DisplayText.clean(c.display(), MAX_CODE))
        .orElse(base);
  }
}
