package dev.handshake.delegation.http;

import dev.handshake.delegation.HandoffConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The query of {@code POST /delegation/verify}: {@code receiver} (repeatable), {@code profile} and
 * {@code reason_style}. Values are percent-decoded as UTF-8 but {@code +} stays a plus sign:
 * derived agent ids contain {@code +} and never a space, so form decoding would break them. Unknown
 * parameters are refused, so a misspelt {@code reciever} is an error, not a silent audience
 * mismatch.
 */
record VerifyQuery(
    Set<String> receivers, boolean reference, Optional<HandoffConfig.ReasonStyle> reasonStyle) {
  static final int MAX_RECEIVERS = 16;
  static final int MAX_ID_LENGTH = 512;

  /** Why a query was refused; the message is the 400 answer. */
  static final class BadQuery extends Exception {
    BadQuery(String message) {
      super(message);
    }
  }

  static VerifyQuery parse(@Nullable String rawQuery) throws BadQuery {
    Set<String> receivers = new LinkedHashSet<>();
    String profile = null;
    String style = null;
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (name) {
          case "receiver" -> {
            if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
              throw new BadQuery(
                  "receiver must be an agent id of 1 to " + MAX_ID_LENGTH + " characters");
            }
            receivers.add(value);
            if (receivers.size() > MAX_RECEIVERS) {
              throw new BadQuery("at most " + MAX_RECEIVERS + " receiver ids");
            }
          }
          case "profile" -> profile = once(profile, value, "profile");
          case "reason_style" -> style = once(style, value, "reason_style");
          default ->
              throw new BadQuery(
                  "unknown query parameter '"
                      + printable(name)
                      + "' (receiver, profile, reason_style)");
        }
      }
    }
    boolean reference;
    if (profile == null || profile.equals("default")) {
      reference = false;
    } else if (profile.equals("reference")) {
      reference = true;
    } else {
      throw new BadQuery("profile must be default or reference");
    }
    Optional<HandoffConfig.ReasonStyle> reasonStyle =
        style == null ? Optional.empty() : Optional.of(reasonStyle(style));
    return new VerifyQuery(Set.copyOf(receivers), reference, reasonStyle);
  }

  static HandoffConfig.ReasonStyle reasonStyle(String text) throws BadQuery {
    return switch (text) {
      case "0.2.3", "v0.2.3" -> HandoffConfig.ReasonStyle.V0_2_3;
      case "0.3.1", "v0.3.1" -> HandoffConfig.ReasonStyle.V0_3_1;
      default -> throw new BadQuery("reason_style must be 0.2.3 or 0.3.1");
    };
  }

  private static String once(@Nullable String previous, String value, String name) throws BadQuery {
    if (previous != null) {
      throw new BadQuery(name + " is given twice");
    }
    return value;
  }

  /** Strict percent-decoding: malformed escapes and invalid UTF-8 are refused. */
  private static String decode(String text) throws BadQuery {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      int c = text.codePointAt(i);
      if (c != '%') {
        bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c) - 1;
        continue;
      }
      if (i + 2 >= text.length()) {
        throw new BadQuery("malformed percent escape in the query");
      }
      int hi = Character.digit(text.charAt(i + 1), 16);
      int lo = Character.digit(text.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw new BadQuery("malformed percent escape in the query");
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadQuery("the query is not UTF-8");
    }
  }

  private static String printable(String name) {
    String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
