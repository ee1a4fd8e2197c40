package dev.handshake.delegation;

import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * The capability token a packet carries in {@code capability_token} (trusthandoff.md §2.8):
 * unpadded base64url of the capability's compact, key-sorted, ASCII-escaped JSON with {@code Z}
 * datetimes, signature included. The token is only a carrier; what it grants is decided by
 * verifying the decoded capability.
 */
public final class CapabilityTokens {
  /**
   * The longest token {@link #decode} reads. A capability is a few hundred bytes of JSON (the
   * vectors' tokens are about 1 KB); the bound keeps a hostile packet from making us decode and
   * parse megabytes.
   */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  // A capability nests three levels (capability, permissions, actions); leave room, refuse more.
  private static final int MAX_DEPTH = 8;

  private CapabilityTokens() {}

  /** The token for {@code capability}, as the reference encodes it. */
  public static String encode(DelegationCapability capability) {
    byte[] json = tokenJson(capability).getBytes(StandardCharsets.US_ASCII);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
  }

  /** The JSON text inside the token: compact, keys sorted, ASCII only, {@code Z} datetimes. */
  public static String tokenJson(DelegationCapability capability) {
    return PythonJson.dumpsCompactSortedAscii(capability.toJson());
  }

  /**
   * The capability {@code token} carries. Only the canonical spelling is read: base64url alphabet,
   * no padding, no stray characters, unused bits zero (so one capability has one token text, which
   * the packet signature covers), at most {@link #MAX_TOKEN_CHARS}.
   *
   * @throws MalformedPacketException when the token is too long, not canonical base64url, not
   *     strict JSON, or not a capability
   */
  public static DelegationCapability decode(String token) throws MalformedPacketException {
    if (token.isEmpty()) {
      throw new MalformedPacketException("capability token is empty");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedPacketException(
          "capability token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    byte[] json = base64Url(token);
    JsonNode tree;
    try {
      tree = CanonicalJson.parse(json, MAX_DEPTH);
    } catch (CanonicalJsonException e) {
      throw new MalformedPacketException("capability token is not JSON: " + e.getMessage());
    }
    return DelegationCapability.parse(tree);
  }

  private static byte[] base64Url(String token) throws MalformedPacketException {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new MalformedPacketException("capability token is not unpadded base64url");
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
      throw new MalformedPacketException("capability token is not canonical unpadded base64url");
    }
    return bytes;
  }
}
