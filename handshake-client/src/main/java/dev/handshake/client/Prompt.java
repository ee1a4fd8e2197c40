package dev.handshake.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials an agent reads from a pasted handshake prompt, parsed exactly like the reference
 * agent's {@code parse_prompt} (hpp.md §2.9).
 *
 * <p>Every line is matched against {@code ^\s*-?\s*(\w+)\s*:\s*(.+?)\s*$} with Python's meaning of
 * {@code \s}, {@code \w} and line breaks; the first occurrence of each key wins and keys are
 * case-sensitive. {@code sessionId}, {@code token} and {@code baseUrl} are required; {@code mode},
 * {@code expiresIn} (kept as text with its {@code s} suffix) and {@code skill} are optional. URLs
 * in the prompt's usage section are ignored: the agent builds paths from {@code baseUrl} itself.
 *
 * <pre>{@code
 * Prompt prompt = Prompt.parse(text);
 * AgentClient agent = AgentClient.create(prompt);
 * }</pre>
 *
 * @param sessionId the session id ({@code - sessionId:} line)
 * @param token the session token ({@code - token:} line); printed redacted
 * @param baseUrl the app root exactly as printed, trailing slash kept
 * @param mode the session mode, when the prompt names one (browser-built prompts do not)
 * @param expiresIn the announced lifetime as printed, e.g. {@code 1800s}
 * @param skill the skill name some browser-built prompts carry
 */
public record Prompt(
    String sessionId,
    SessionToken token,
    String baseUrl,
    Optional<String> mode,
    Optional<String> expiresIn,
    Optional<String> skill) {

  /** Python's {@code \s} for {@code str} patterns: Unicode whitespace plus U+001C..U+001F. */
  private static final String WS =
      "[\\t\\n\\x0B\\f\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029"
          + "\\u202F\\u205F\\u3000]";

  /** Python's {@code \w} for {@code str} patterns: alphanumerics (letters, numbers) and "_". */
  private static final String WORD = "[\\p{L}\\p{N}_]";

  /** The reference pattern; {@code [^\n]} is Python's {@code .} without DOTALL. */
  private static final Pattern LINE =
      Pattern.compile(
          WS + "*-?" + WS + "*(" + WORD + "+)" + WS + "*:" + WS + "*([^\\n]+?)" + WS + "*");

  private static final List<String> REQUIRED = List.of("sessionId", "token", "baseUrl");
  private static final List<String> OPTIONAL = List.of("mode", "expiresIn", "skill");

  /** Checks the required parts; use {@link #parse(String)} to read a prompt. */
  public Prompt {
    if (sessionId.isEmpty() || baseUrl.isEmpty()) {
      throw new IllegalArgumentException("sessionId and baseUrl must not be empty");
    }
  }

  /**
   * Reads the credentials of a handshake prompt.
   *
   * @throws PromptFormatException naming every required key that no line supplied
   */
  public static Prompt parse(String text) {
    Map<String, String> found = new HashMap<>();
    for (String line : splitLines(text)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        String key = m.group(1);
        if (REQUIRED.contains(key) || OPTIONAL.contains(key)) {
          found.putIfAbsent(key, m.group(2));
        }
      }
    }
    List<String> missing = REQUIRED.stream().filter(k -> !found.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new PromptFormatException(missing);
    }
    return new Prompt(
        found.get("sessionId"),
        SessionToken.of(found.get("token")),
        found.get("baseUrl"),
        Optional.ofNullable(found.get("mode")),
        Optional.ofNullable(found.get("expiresIn")),
        Optional.ofNullable(found.get("skill")));
  }

  /** Python's {@code str.splitlines()}: every line boundary it knows, no trailing empty line. */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isLineBoundary(c)) {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
      i++;
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static boolean isLineBoundary(char c) {
    return switch (c) {
      case '\n', '\r', '\u000B', '\f', '\u001C', '\u001D', '\u001E', '\u0085', '\u2028', '\u2029' ->
          true;
      default -> false;
    };
  }

  /** Names the session and server but never the token. */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("Prompt[sessionId=")
            .append(sessionId)
            .append(", token=")
            .append(token)
            .append(", baseUrl=")
            .append(baseUrl);
    mode.ifPresent(m -> sb.append(", mode=").append(m));
    expiresIn.ifPresent(e -> sb.append(", expiresIn=").append(e));
    skill.ifPresent(s -> sb.append(", skill=").append(s));
    return sb.append(']').toString();
  }
}
