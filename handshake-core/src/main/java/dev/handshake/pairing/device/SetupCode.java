package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A setup (QR) code, OpenClaw's format (pairing.md §2.4): base64url of the JSON {@code {"url":
 * …, "urls": […], "bootstrapToken": …}}, {@code urls} optional and at most {@value #MAX_URLS}. It
 * carries a bootstrap token, so it is a secret: {@link #toString()} is redacted and {@link
 * #reveal()} is the deliberate way to show it (as text or QR) to the person setting up a device.
 *
 * <p>URLs are {@code wss://}, or cleartext {@code ws://} only to a loopback, RFC 1918, {@code
 * .local} or {@code 10.0.2.2} (Android emulator) host, as OpenClaw allows.
 *
 * <pre>{@code
 * if (store.issueBootstrap("cli:owner") instanceof BootstrapIssue.Issued i) {
 *   print(SetupCode.of("wss://gw.example:8443", List.of(), i.secret()).reveal());
 * }
 * }</pre>
 */
public final class SetupCode {
  /** Most URLs in {@code urls}. */
  public static final int MAX_URLS = 8;
  private static final int MAX_URL = 2048;
  private static final int MAX_TOKEN = 1024;
  private static final int MAX_TEXT = 32 * 1024;

  private final String url;
  private final List<String> urls;
  private final String bootstrapToken;

  private SetupCode(String url, List<String> urls, String bootstrapToken) {
    this.url = url;
    this.urls = List.copyOf(urls);
    this.bootstrapToken = bootstrapToken;
  }

  /**
   * The setup code for a gateway at {@code url} (and candidate {@code urls}) with a freshly issued
   * bootstrap token.
   *
   * @throws IllegalArgumentException when a URL is not allowed or there are more than {@value
   *     #MAX_URLS} (server configuration, not device input)
   */
  public static SetupCode of(String url, List<String> urls, BearerSecret bootstrapToken) {
    if (!allowedUrl(url) || urls.size() > MAX_URLS
        || !urls.stream().allMatch(SetupCode::allowedUrl)) {
      throw new IllegalArgumentException("setup code URLs must be wss://, or ws:// to a local"
          + " host, at most " + MAX_URLS + " of them");
    }
    return new SetupCode(url, urls, bootstrapToken.reveal());
  }

  /** Reads a setup code; empty when it is not one (bad encoding, JSON, URL or sizes). */
  public static Optional<SetupCode> parse(String text) {
    Optional<byte[]> json = Base64Url.decode(text.strip(), MAX_TEXT);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonNode> node = Json.tryParse(json.get());
    if (node.isEmpty() || !node.get().isObject()) {
      return Optional.empty();
    }
    JsonNode url = node.get().path("url");
    JsonNode token = node.get().path("bootstrapToken");
    JsonNode urls = node.get().path("urls");
    if (!url.isString() || !token.isString() || !allowedUrl(url.stringValue())
        || token.stringValue().isEmpty() || token.stringValue().length() > MAX_TOKEN) {
      return Optional.empty();
    }
    List<String> list = new ArrayList<>();
    if (!urls.isMissingNode()) {
      if (!urls.isArray() || urls.size() > MAX_URLS) {
        return Optional.empty();
      }
      for (JsonNode u : urls) {
        if (!u.isString() || !allowedUrl(u.stringValue())) {
          return Optional.empty();
        }
        list.add(u.stringValue());
      }
    }
    return Optional.of(new SetupCode(url.stringValue(), list, token.stringValue()));
  }

  public String url() {
    return url;
  }

  public List<String> urls() {
    return urls;
  }

  /** The bootstrap token inside, to present when connecting. */
  public String revealBootstrapToken() {
    return bootstrapToken;
  }

  /** The code as text: base64url of the JSON, unpadded. */
  public String reveal() {
    ObjectNode json = Json.object();
    json.put("url", url);
    if (!urls.isEmpty()) {
      ArrayNode list = json.putArray("urls");
      urls.forEach(list::add);
    }
    json.put("bootstrapToken", bootstrapToken);
    return Base64Url.encode(Json.text(json).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "SetupCode[url=" + url + ", urls=" + urls + ", bootstrapToken=<redacted>]";
  }

  static boolean allowedUrl(String text) {
    if (text.length() > MAX_URL) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null || host.isEmpty() || uri.getUserInfo() != null) {
      return false;
    }
    return switch (scheme) {
      case "wss" -> true;
      case "ws" -> localHost(host.toLowerCase(Locale.ROOT));
      default -> false;
    };
  }

  /** Hosts where cleartext stays on the machine or the local network. */
  private static boolean localHost(String host) {
    if (host.equals("localhost") || host.endsWith(".local") || host.equals("10.0.2.2")
        || AutoApproval.isLoopbackLiteral(host)) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    int[] o = new int[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("\\d{1,3}")) {
        return false;
      }
      o[i] = Integer.parseInt(parts[i]);
      if (o[i] > 255) {
        return false;
      }
    }
    return o[0] == 10 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168);
  }
}
