package dev.handshake.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.util.RawValue;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a Jackson tree from JSON text with every ambiguity refused (duplicate keys, lone
 * surrogates, invalid UTF-8, a byte order mark, numbers that overflow a double, trailing content)
 * and number types kept as written: integers as int, long or big-integer nodes, anything with a
 * fraction or exponent as a double node.
 *
 * <p>The tree is built iteratively and the nesting limit is ours, so no input can exhaust the stack
 * while parsing.
 */
final class StrictJsonReader {
  // Jackson's own depth limit is lifted: the caller's limit applies, checked with a path.
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
          .build();
  private static final JsonNodeFactory NODES = Json.nodes();

  private StrictJsonReader() {}

  static JsonNode read(byte[] json, int maxDepth) {
    return read(decodeUtf8(json), maxDepth, false);
  }

  static JsonNode read(String json, int maxDepth) {
    return read(json, maxDepth, false);
  }

  /**
   * @param keepFloatText numbers with a fraction or exponent become {@link RawValue} nodes holding
   *     their exact text instead of doubles, for formats that sign the text as received
   */
  static JsonNode read(String json, int maxDepth, boolean keepFloatText) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
    }
    if (json.startsWith("\uFEFF")) {
      throw new CanonicalJsonException("JSON text starts with a byte order mark");
    }
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      return readTree(parser, maxDepth, keepFloatText);
    } catch (JacksonException e) {
      throw new CanonicalJsonException(
          "not valid JSON: " + e.getOriginalMessage() + at(e.getLocation()), e);
    }
  }

  private static String decodeUtf8(byte[] json) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(json);
    try {
      CharBuffer chars = decoder.decode(in);
      return chars.toString();
    } catch (CharacterCodingException e) {
      // Java's decoder also refuses overlong forms and encoded surrogates (CESU-8).
      throw new CanonicalJsonException("not valid UTF-8 at byte offset " + in.position(), e);
    }
  }

  private static String at(@Nullable TokenStreamLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** An open array or object, where the next value goes. */
  private static final class Open {
    final ContainerNode<?> node;
    final JsonPath path;
    @Nullable String key;

    Open(ContainerNode<?> node, JsonPath path) {
      this.node = node;
      this.path = path;
    }

    JsonPath next() {
      return node instanceof ObjectNode ? path.property(requireKey()) : path.element(node.size());
    }

    void add(JsonNode value) {
      if (node instanceof ObjectNode object) {
        object.set(requireKey(), value);
        key = null;
      } else {
        ((ArrayNode) node).add(value);
      }
    }

    private String requireKey() {
      if (key == null) {
        throw new IllegalStateException("object value without a key");
      }
      return key;
    }
  }

  private static JsonNode readTree(JsonParser parser, int maxDepth, boolean keepFloatText) {
    Deque<Open> open = new ArrayDeque<>();
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new CanonicalJsonException("no JSON value in the input");
    }
    while (true) {
      Open top = open.peek();
      JsonNode completed = null;
      switch (token) {
        case START_OBJECT, START_ARRAY -> {
          if (open.size() >= maxDepth) {
            // No path here: it would be as long as the nesting.
            throw new CanonicalJsonException(
                "JSON nests deeper than "
                    + maxDepth
                    + " levels"
                    + at(parser.currentTokenLocation()));
          }
          JsonPath path = top == null ? JsonPath.ROOT : top.next();
          ContainerNode<?> node =
              token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
          if (top != null) {
            top.add(node);
          }
          open.push(new Open(node, path));
        }
        case END_OBJECT, END_ARRAY -> {
          Open closed = open.pop();
          if (open.isEmpty()) {
            completed = closed.node;
          }
        }
        case PROPERTY_NAME -> {
          Open object = open.element();
          String name = parser.currentName();
          int bad = JsonText.loneSurrogateAt(name);
          if (bad >= 0) {
            throw JsonText.loneSurrogate(name.charAt(bad), "key", object.path.property(name));
          }
          if (object.node.has(name)) {
            throw new CanonicalJsonException(
                "duplicate key " + JsonText.quotedAscii(name) + " in the object at " + object.path);
          }
          object.key = name;
        }
        default -> {
          JsonNode value =
              scalar(parser, token, top == null ? JsonPath.ROOT : top.next(), keepFloatText);
          if (top == null) {
            completed = value;
          } else {
            top.add(value);
          }
        }
      }
      if (completed != null) {
        if (parser.nextToken() != null) {
          throw new CanonicalJsonException(
              "content after the JSON value" + at(parser.currentTokenLocation()));
        }
        return completed;
      }
      token = parser.nextToken();
    }
  }

  private static JsonNode scalar(
      JsonParser parser, JsonToken token, JsonPath path, boolean keepFloatText) {
    return switch (token) {
      case VALUE_STRING -> {
        String s = parser.getString();
        int bad = JsonText.loneSurrogateAt(s);
        if (bad >= 0) {
          throw JsonText.loneSurrogate(s.charAt(bad), "string", path);
        }
        yield NODES.stringNode(s);
      }
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> {
        double d = parser.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw new CanonicalJsonException(
              "number " + parser.getString() + " at " + path + " is beyond the range of a double");
        }
        yield keepFloatText ? NODES.rawValueNode(new RawValue(parser.getString())) : NODES.numberNode(d);
      }
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new CanonicalJsonException("unexpected " + token + " at " + path);
    };
  }
}
