package dev.handshake.pairing.device;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a device may be approved without an operator (pairing.md §3.2 rule 7, §4 item 15): only a
 * first-time request for role {@code node} with no scopes, only from a <em>direct</em> loopback
 * peer, and only when {@link DevicePairingConfig#autoApproveLoopback} is on (it is off by
 * default).
 *
 * <p>"Direct" means the TCP peer is a loopback address ({@code 127.0.0.0/8}, {@code ::1}, or
 * IPv4-mapped {@code ::ffff:127.x.x.x}) and the request carries none of {@code X-Forwarded-For},
 * {@code Via}, {@code X-Real-IP}, {@code X-Forwarded-Host} or {@code Forwarded} (names compared
 * case-insensitively, present with any value, even empty). A reverse proxy on the same host makes
 * every remote client look local; its headers are how we tell. The peer must be an address
 * literal: a host name such as {@code localhost} is never resolved and never counts.
 */
public final class AutoApproval {
  /** The headers whose presence means a proxy stands between the device and us. */
  public static final Set<String> PROXY_HEADERS =
      Set.of("x-forwarded-for", "via", "x-real-ip", "x-forwarded-host", "forwarded");
  /** The only role that can be approved automatically. */
  public static final String ROLE = "node";
  /** Who approves automatic approvals, in events and on the device. */
  public static final String APPROVER = "system:loopback";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private AutoApproval() {}

  /** Whether {@code peerAddress} is loopback and no proxy header is present. */
  public static boolean isDirectLoopback(String peerAddress, Map<String, List<String>> headers) {
    for (String name : headers.keySet()) {
      if (PROXY_HEADERS.contains(name.strip().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return isLoopbackLiteral(peerAddress);
  }

  /** Whether {@code address} is an IP literal in {@code 127.0.0.0/8} or {@code ::1}. */
  public static boolean isLoopbackLiteral(String address) {
    String a = address.strip();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    boolean literal = IPV4.matcher(a).matches() || (a.indexOf(':') >= 0 && IPV6.matcher(a).matches());
    if (!literal) {
      return false;
    }
    try {
      // a literal of these characters is parsed, never looked up
      return InetAddress.getByName(a).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Whether {@code request} may be approved now without an operator: the switch is on, the
   * device was never paired, it asks for {@code node} with no scopes, and the peer is direct
   * loopback.
   */
  public static boolean permits(DevicePairingConfig config, DeviceRequest request,
      String peerAddress, Map<String, List<String>> headers) {
    return config.autoApproveLoopback()
        && request.state().live()
        && !request.isUpgrade()
        && ROLE.equals(request.role())
        && request.scopes().isEmpty()
        && isDirectLoopback(peerAddress, headers);
  }
}
