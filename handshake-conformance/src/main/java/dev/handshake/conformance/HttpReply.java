package dev.handshake.conformance;

import dev.handshake.json.Json;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP response as the suite sees it: status, headers and body, with the body parsed as JSON
 * on demand. {@link #toString()} is short and readable so it can go into assertion messages.
 */
public record HttpReply(int status, HttpHeaders headers, byte[] bodyBytes) {

  public String body() {
    return new String(bodyBytes, StandardCharsets.UTF_8);
  }

  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  public List<String> headerValues(String name) {
    return headers.allValues(name);
  }

  /** The {@code Content-Type} header, or {@code ""}. */
  public String contentType() {
    return header("Content-Type").orElse("");
  }

  /** Whether the response declares {@code application/json} (parameters allowed). */
  public boolean declaresJson() {
    return contentType().toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** Whether the body looks like an HTML page. */
  public boolean looksLikeHtml() {
    String b = body().stripLeading().toLowerCase(Locale.ROOT);
    return contentType().toLowerCase(Locale.ROOT).contains("html")
        || b.startsWith("<!doctype")
        || b.startsWith("<html");
  }

  /** The body parsed as JSON; fails the test (with the body) when it is not JSON. */
  public JsonNode json() {
    try {
      JsonNode n = Json.mapper().readTree(bodyBytes);
      if (n == null || n.isMissingNode()) {
        throw new AssertionError("expected a JSON body but it was empty: " + this);
      }
      return n;
    } catch (JacksonException e) {
      throw new AssertionError("expected a JSON body: " + this, e);
    }
  }

  /** The body as a JSON object; fails the test when it is something else. */
  public ObjectNode object() {
    JsonNode n = json();
    if (!n.isObject()) {
      throw new AssertionError("expected a JSON object body: " + this);
    }
    return (ObjectNode) n;
  }

  @Override
  public String toString() {
    String b = body();
    if (b.length() > 600) {
      b = b.substring(0, 600) + "…(" + bodyBytes.length + " bytes)";
    }
    return "HTTP " + status + " [" + contentType() + "] " + b;
  }
}
