package dev.handshake.pairing.device;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The strings a device signs to connect (pairing.md §2.4, §3.2 rule 7), built in one place for
 * devices and for the verifier.
 *
 * <ul>
 *   <li>Ours: {@code pair-v1|deviceId|clientId|role|scopes|signedAtMs|nonce}. {@code scopes} are
 *       sorted (by UTF-16 code unit, i.e. ASCII order for valid scope names), without duplicates
 *       and joined with {@code ,}: the same set always signs the same string, whatever order the
 *       device lists them in. The distinct prefix means a {@code pair-v1} signature can never be
 *       replayed as an OpenClaw one, or the other way round.
 *   <li>OpenClaw (only with {@code pairing.compat.openclawDeviceAuth}): {@code
 *       v2|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce}, and {@code v3}, which
 *       appends {@code |platform|deviceFamily} (each trimmed and ASCII-lower-cased, as OpenClaw
 *       clients do). Scopes are joined with {@code ,} in the order the device sent them, not
 *       sorted; the token is the empty string when absent. Both are unconfirmed against a running
 *       OpenClaw (spec §5).
 * </ul>
 *
 * <p>Signatures are pure Ed25519 over the UTF-8 bytes, sent as unpadded base64url.
 */
public final class ConnectPayload {
  private ConnectPayload() {}

  /** Which payload layout a signature was made over. */
  public enum Version {
    PAIR_V1("pair-v1"),
    OPENCLAW_V2("v2"),
    OPENCLAW_V3("v3");

    private final String prefix;

    Version(String prefix) {
      this.prefix = prefix;
    }

    /** The first field of the payload. */
    public String prefix() {
      return prefix;
    }
  }

  /** Our payload; {@code scopes} in any order. */
  public static String pairV1(String deviceId, String clientId, String role,
      Collection<String> scopes, long signedAtMs, String nonce) {
    return String.join("|", Version.PAIR_V1.prefix(), deviceId, clientId, role,
        String.join(",", Names.sorted(scopes)), Long.toString(signedAtMs), nonce);
  }

  /** OpenClaw's v2 payload; {@code scopes} in the order the device sends them. */
  public static String openclawV2(String deviceId, String clientId, String clientMode, String role,
      List<String> scopes, long signedAtMs, Optional<String> token, String nonce) {
    return String.join("|", Version.OPENCLAW_V2.prefix(), deviceId, clientId, clientMode, role,
        String.join(",", scopes), Long.toString(signedAtMs), token.orElse(""), nonce);
  }

  /** OpenClaw's v3 payload: v2's fields with {@code v3} and then platform and device family. */
  public static String openclawV3(String deviceId, String clientId, String clientMode, String role,
      List<String> scopes, long signedAtMs, Optional<String> token, String nonce, String platform,
      String deviceFamily) {
    return String.join("|", Version.OPENCLAW_V3.prefix(), deviceId, clientId, clientMode, role,
        String.join(",", scopes), Long.toString(signedAtMs), token.orElse(""), nonce,
        normalizeMetadata(platform), normalizeMetadata(deviceFamily));
  }

  /** The payload {@code proof} claims to have signed in layout {@code version}. */
  static String of(Version version, ConnectProof p, String nonce) {
    return switch (version) {
      case PAIR_V1 -> pairV1(p.deviceId(), p.clientId(), p.role(), p.scopes(), p.signedAtMs(), nonce);
      case OPENCLAW_V2 -> openclawV2(p.deviceId(), p.clientId(), p.clientMode(), p.role(),
          p.scopes(), p.signedAtMs(), p.token(), nonce);
      case OPENCLAW_V3 -> openclawV3(p.deviceId(), p.clientId(), p.clientMode(), p.role(),
          p.scopes(), p.signedAtMs(), p.token(), nonce, p.platform(), p.deviceFamily());
    };
  }

  /** The unpadded base64url Ed25519 signature of {@code payload}, for devices and tests. */
  public static String sign(Ed25519PrivateKey key, String payload) {
    return Base64Url.encode(key.sign(payload.getBytes(StandardCharsets.UTF_8)));
  }

  /** OpenClaw lower-cases only ASCII letters, so other letters are left as sent. */
  private static String normalizeMetadata(String value) {
    String trimmed = value.strip();
    StringBuilder out = new StringBuilder(trimmed.length());
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return out.toString();
  }
}
