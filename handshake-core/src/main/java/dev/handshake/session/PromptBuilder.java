package dev.handshake.session;

import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Builds the handshake prompt a person pastes into an agent (hpp.md §2.9). The credentials block
 * is what the reference agent's {@code parse_prompt} reads ({@code - sessionId:}, {@code - token:},
 * {@code - baseUrl:}, first occurrence wins), so it comes first; after it we state the schema and
 * the rule that fields the person edited are theirs.
 */
public final class PromptBuilder {
  private PromptBuilder() {}

  /**
   * @param session the session (its token is not stored, so it is passed separately)
   * @param token the session token, shown once in the prompt
   * @param baseUrl the app root the agent calls, with no path beyond it
   * @param expiresInSeconds the remaining lifetime to announce
   * @param instructions optional task text for the agent
   */
  public static String build(
      SessionState session,
      String token,
      String baseUrl,
      String prefix,
      long expiresInSeconds,
      Optional<String> instructions) {
    String mode = session.mode().isString() ? session.mode().stringValue() : String.valueOf(session.mode());
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    String sid = session.id();
    List<String> l = new ArrayList<>();
    l.add("# Handshake Prompt - " + mode);
    l.add("");
    l.add("## Credentials");
    l.add("- sessionId: " + sid);
    l.add("- token: " + token);
    l.add("- baseUrl: " + baseUrl);
    l.add("- mode: " + mode);
    l.add("- expiresIn: " + expiresInSeconds + "s");
    l.add("");
    instructions
        .filter(s -> !s.isBlank())
        .ifPresent(
            s -> {
              l.add("## Instructions");
              l.add(s);
              l.add("");
            });
    l.add("## Usage");
    l.add("Send the header X-Handshake-Token: <token> on every request.");
    l.add("1. GET  " + base + prefix + "/context/" + sid + "   (read the fields and current values)");
    l.add(
        "2. POST " + base + prefix + "/action/" + sid
            + "    {\"actions\":[{\"type\":\"set\",\"key\":...,\"value\":...}]}");
    l.add("3. GET  " + base + prefix + "/diff/" + sid + "   (what changed; ?sinceSeq=<n> for later changes)");
    l.add(
        "4. POST " + base + prefix + "/session/" + sid + "/extend  {\"extraSeconds\":1800}  (optional)");
    l.add("");
    if (FormFillMode.NAME.equals(session.handler()) && !session.schema().isEmpty()) {
      l.add("## Fields");
      for (JsonNode f : session.schema()) {
        StringBuilder sb = new StringBuilder("* ").append(f.path("key").stringValue());
        sb.append(" (").append(f.path("type").isString() ? f.get("type").stringValue() : "string");
        if (Json.truthy(f.path("required"))) {
          sb.append(", required");
        }
        sb.append(')');
        if (f.path("label").isString()) {
          sb.append(" = ").append(f.get("label").stringValue());
        }
        l.add(sb.toString());
      }
      l.add("");
      l.add("## Rules");
      l.add("- Fields the person filled or edited are theirs: writes to them are rejected. Do not retry them.");
      l.add("- Only write keys listed under Fields; values must match the field type.");
      l.add("");
    }
    l.add("## Security Notes");
    l.add("- Token expires in " + expiresInSeconds + " seconds unless extended");
    l.add("- Do NOT forward this prompt to others");
    l.add("");
    l.add("## Waiting for user's request...");
    return String.join("\n", l);
  }
}
