package dev.handshake.conformance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java port of the reference agent (handshake-prompt-agent 0.2.0, {@code client.py}): its
 * prompt parser and the exact requests it sends, so the suite can check agent interop (hpp.md
 * §2.9, checklist item 29) without Python.
 */
public final class ReferenceAgent {
  /** {@code re.match(r'^\s*-?\s*(\w+)\s*:\s*(.+?)\s*$', line)}; Python's \w and \s are Unicode. */
  private static final Pattern LINE =
      Pattern.compile("^\\s*-?\\s*(\\w+)\\s*:\\s*(.+?)\\s*$", Pattern.UNICODE_CHARACTER_CLASS);

  private static final List<String> REQUIRED = List.of("sessionId", "token", "baseUrl");
  private static final List<String> OPTIONAL = List.of("mode", "expiresIn", "skill");

  /** The headers the reference agent sends on every request. */
  public static final Map<String, String> HEADERS_WITHOUT_TOKEN =
      Map.of("Content-Type", "application/json; charset=utf-8");

  private final HppHttp http;
  private final String sid;
  private final String token;
  private final String base;
  private final String prefix = "/handshake";

  public ReferenceAgent(HppHttp http, Map<String, String> parsedPrompt) {
    this.http = http;
    this.sid = parsedPrompt.get("sessionId");
    this.token = parsedPrompt.get("token");
    String b = parsedPrompt.get("baseUrl");
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /**
   * {@code parse_prompt}: the first occurrence of each known key wins; sessionId, token and
   * baseUrl are required.
   */
  public static Map<String, String> parsePrompt(String text) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : text.split("\\r\\n|\\r|\\n|\\u000b|\\u000c|\\u001c|\\u001d|\\u001e|\\u0085|\\u2028|\\u2029", -1)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        String key = m.group(1);
        if ((REQUIRED.contains(key) || OPTIONAL.contains(key)) && !result.containsKey(key)) {
          result.put(key, m.group(2));
        }
      }
    }
    List<String> missing = REQUIRED.stream().filter(k -> !result.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing fields in prompt: " + missing);
    }
    return result;
  }

  /** The base URL the agent calls (with the path it builds itself). */
  public String base() {
    return base;
  }

  private HppHttp.Request request(String method, String path) {
    String url = base + path;
    String rel = url.substring(url.indexOf('/', url.indexOf("//") + 2));
    return http.request(method, rel)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("X-Handshake-Token", token);
  }

  /** {@code get_context()}. */
  public HttpReply getContext() {
    return request("GET", prefix + "/context/" + sid).send();
  }

  /** {@code get_diff(since)}: {@code ?since=} quoted like {@code urllib.parse.quote}. */
  public HttpReply getDiff(String since) {
    String path = prefix + "/diff/" + sid;
    if (!since.isEmpty()) {
      path += "?since=" + quote(since);
    }
    return request("GET", path).send();
  }

  /** {@code action(values, stream, interval_ms)} with {@code json.dumps} formatting. */
  public HttpReply action(Map<String, String> stringValues, boolean stream, int intervalMs) {
    StringBuilder actions = new StringBuilder();
    for (Map.Entry<String, String> e : stringValues.entrySet()) {
      if (!actions.isEmpty()) {
        actions.append(", ");
      }
      actions.append("{\"type\": \"set\", \"key\": \"").append(e.getKey())
          .append("\", \"value\": \"").append(e.getValue()).append("\"}");
    }
    String body = "{\"actions\": [" + actions + "], \"stream\": " + stream + ", \"intervalMs\": " + intervalMs + "}";
    return request("POST", prefix + "/action/" + sid).body(body).send();
  }

  /** {@code POST {prefix}/session/<sid>/extend} with {@code {"extraSeconds": N}}. */
  public HttpReply extend(int extraSeconds) {
    return request("POST", prefix + "/session/" + sid + "/extend")
        .body("{\"extraSeconds\": " + extraSeconds + "}")
        .send();
  }

  /** {@code urllib.parse.quote(s)} (safe {@code "/"}). */
  static String quote(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
        .replace("*", "%2A").replace("%7E", "~");
  }
}
