package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Prompt#parse} against the reference agent's {@code parse_prompt} (hpp.md §2.9). */
class PromptTest {
  private static final String SID = "0123456789abcdef0123456789abcdef";
  private static final String TOKEN = "-tok3n_Abcdefghijklmnopqrstuvwxy";

  /** The reference server's {@code build_prompt} layout, with instructions. */
  private static final String REFERENCE_PROMPT =
      String.join(
          "\n",
          "# Handshake Prompt - form-fill",
          "",
          "## Credentials",
          "- sessionId: " + SID,
          "- token: " + TOKEN,
          "- baseUrl: http://localhost:5000/",
          "- mode: form-fill",
          "- expiresIn: 1799s",
          "",
          "## Instructions",
          "Fill the expense report. token: not-this-one",
          "",
          "## Usage",
          "1. GET  http://localhost:5000/handshake/context/"
              + SID
              + "   (header X-Handshake-Token: <token>)",
          "2. POST http://localhost:5000/handshake/action/"
              + SID
              + "    {\"actions\":[{\"type\":\"set\",\"key\":...,\"value\":...}]}",
          "3. POST http://localhost:5000/handshake/session/"
              + SID
              + "/extend  {\"extraSeconds\":1800}  (optional)",
          "",
          "## Security Notes",
          "- Token expires in 1799 seconds by default",
          "- Do NOT forward this prompt to others",
          "",
          "## Waiting for user's request...");

  @Test
  void readsEveryCredentialOfTheReferenceServerPrompt() {
    Prompt p = Prompt.parse(REFERENCE_PROMPT);

    assertThat(p.sessionId()).isEqualTo(SID);
    assertThat(p.token().reveal()).as("a token may start with '-'").isEqualTo(TOKEN);
    assertThat(p.baseUrl())
        .as("baseUrl is kept exactly, trailing slash too")
        .isEqualTo("http://localhost:5000/");
    assertThat(p.mode()).contains("form-fill");
    assertThat(p.expiresIn()).as("expiresIn keeps its unit suffix").contains("1799s");
    assertThat(p.skill()).isEmpty();
  }

  @Test
  void readsTheBrowserSdkPromptWhichHasSkillButNoMode() {
    String text =
        String.join(
            "\n",
            "# Handshake Prompt",
            "",
            "## Credentials",
            "- sessionId: " + SID,
            "- token: " + TOKEN,
            "- baseUrl: https://app.example.com",
            "- expiresIn: 1800s",
            "- skill: expense-filler",
            "",
            "## Usage",
            "1. GET  https://app.example.com/handshake/context/"
                + SID
                + "  (header X-Handshake-Token: <token>)");

    Prompt p = Prompt.parse(text);

    assertThat(p.mode()).isEmpty();
    assertThat(p.skill()).contains("expense-filler");
    assertThat(p.baseUrl()).isEqualTo("https://app.example.com");
  }

  @Test
  void keepsTheFirstOccurrenceOfEachKey() {
    String text = "token: first\nsessionId: s1\ntoken: second\nbaseUrl: http://a\nsessionId: s2\n";

    Prompt p = Prompt.parse(text);

    assertThat(p.token().reveal()).isEqualTo("first");
    assertThat(p.sessionId()).isEqualTo("s1");
  }

  @Test
  void namesEveryMissingRequiredFieldInReferenceOrder() {
    String text = "# Handshake Prompt\n- sessionId: " + SID + "\n- mode: default\n";

    assertThatThrownBy(() -> Prompt.parse(text))
        .isInstanceOfSatisfying(
            PromptFormatException.class,
            e -> assertThat(e.missingFields()).containsExactly("token", "baseUrl"))
        .hasMessage("missing fields in prompt: [token, baseUrl]");
  }

  @Test
  void rejectsAnEmptyPrompt() {
    assertThatThrownBy(() -> Prompt.parse(""))
        .isInstanceOfSatisfying(
            PromptFormatException.class,
            e -> assertThat(e.missingFields()).containsExactly("sessionId", "token", "baseUrl"));
  }

  @Test
  void acceptsCrlfLineEndings() {
    Prompt p = Prompt.parse(REFERENCE_PROMPT.replace("\n", "\r\n"));

    assertThat(p.token().reveal()).as("no carriage return left in the token").isEqualTo(TOKEN);
    assertThat(p.expiresIn()).contains("1799s");
  }

  @Test
  void splitsLinesWhereverPythonSplitlinesDoes() {
    String text = "sessionId: a\rtoken: b\u2028baseUrl: c\u000Bmode: d\u0085skill: e";

    Prompt p = Prompt.parse(text);

    assertThat(p.sessionId()).isEqualTo("a");
    assertThat(p.token().reveal()).isEqualTo("b");
    assertThat(p.baseUrl()).isEqualTo("c");
    assertThat(p.mode()).contains("d");
    assertThat(p.skill()).contains("e");
  }

  @Test
  void toleratesMissingDashAndExtraWhitespaceAndTrimsPythonWhitespace() {
    String text =
        "   sessionId   :   abc   \n-token:xyz\u00A0\u001F\n\t- \tbaseUrl: http://h:8080/x \n";

    Prompt p = Prompt.parse(text);

    assertThat(p.sessionId()).isEqualTo("abc");
    assertThat(p.token().reveal()).as("NBSP and U+001F are Python whitespace").isEqualTo("xyz");
    assertThat(p.baseUrl()).as("colons inside the value are kept").isEqualTo("http://h:8080/x");
  }

  @Test
  void treatsKeysCaseSensitively() {
    String text = "- SessionId: nope\n- Token: nope\n- sessionId: s\n- baseUrl: http://a\n";

    assertThatThrownBy(() -> Prompt.parse(text))
        .isInstanceOfSatisfying(
            PromptFormatException.class,
            e -> assertThat(e.missingFields()).containsExactly("token"));
  }

  @Test
  void ignoresLinesThatAreNotKeyValuePairs() {
    String text =
        "- - token: double-dash\n* token: star\ntoken:\n1. token: numbered\n"
            + "sessionId: s\nbaseUrl: b\n- token: real";

    assertThat(Prompt.parse(text).token().reveal()).isEqualTo("real");
  }

  @Test
  void neverPrintsTheToken() {
    Prompt p = Prompt.parse(REFERENCE_PROMPT);

    assertThat(p.toString())
        .doesNotContain(TOKEN)
        .contains(SID, "http://localhost:5000/", "redacted", "form-fill");
    assertThat(p.token().toString()).doesNotContain(TOKEN);
  }

  @Test
  void comparesPromptsByValue() {
    Prompt a = Prompt.parse(REFERENCE_PROMPT);
    Prompt b =
        new Prompt(
            SID,
            SessionToken.of(TOKEN),
            "http://localhost:5000/",
            Optional.of("form-fill"),
            Optional.of("1799s"),
            Optional.empty());

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(SessionToken.of("x")).isNotEqualTo(SessionToken.of("y"));
  }
}
