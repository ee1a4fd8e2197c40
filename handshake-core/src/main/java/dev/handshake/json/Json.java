package dev.handshake.json;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the project and the small helpers that reproduce Python's view of JSON
 * values (truthiness and "empty"), which the reference implementations rely on.
 */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final DefaultIndenter TWO_SPACES = new DefaultIndenter("  ", "\n");
  private static final DefaultPrettyPrinter INDENT_2 =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(TWO_SPACES)
          .withArrayIndenter(TWO_SPACES);

  private Json() {}

  /** The shared, immutable mapper. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  public static JsonNodeFactory nodes() {
    return MAPPER.getNodeFactory();
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses a document, or returns empty when the bytes are not one JSON value. */
  public static Optional<JsonNode> tryParse(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(body));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  public static byte[] bytes(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  public static String text(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * The document indented by two spaces with {@code "name": value}, the layout of Python's {@code
   * json.dumps(indent=2)} (used for files people read: identity.json, key files), and a final
   * newline.
   */
  public static String pretty(JsonNode node) {
    return MAPPER.writer().with(INDENT_2).writeValueAsString(node) + "\n";
  }

  /** Python truthiness of a JSON value: null, false, 0, 0.0, "", [] and {} are false. */
  public static boolean truthy(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.isIntegralNumber()
          ? node.bigIntegerValue().signum() != 0
          : node.doubleValue() != 0.0;
    }
    if (node.isString()) {
      return !node.stringValue().isEmpty();
    }
    if (node.isContainer()) {
      return !node.isEmpty();
    }
    return true;
  }

  /**
   * The reference's notion of an empty field value: {@code null}, {@code ""}, {@code []} and
   * {@code {}}. Unlike truthiness, {@code 0} and {@code false} are not empty.
   */
  public static boolean isEmptyValue(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return true;
    }
    if (node.isString()) {
      return node.stringValue().isEmpty();
    }
    return node.isContainer() && node.isEmpty();
  }
}
