package dev.handshake.delegation;

import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.util.RawValue;

/**
 * The sanitiser for a decision's optional {@code details} (trusthandoff.md §2.5 [0.3.1]): whatever
 * a caller puts there becomes small, JSON-safe data, so a decision can be logged and returned
 * without leaking large or binary values.
 *
 * <p>The reference's rules, applied recursively from the details object at depth 0:
 *
 * <ul>
 *   <li>any value at depth 4 or deeper becomes {@code "<max_depth_reached>"};
 *   <li>null, booleans and numbers stay (a non-finite double becomes null, as pydantic's JSON
 *       output writes it);
 *   <li>a string longer than 256 characters (code points) keeps its first 256 plus {@code "..."};
 *   <li>bytes become {@code "<bytes:HEX...>"}: lowercase hex of the first 32 bytes, always followed
 *       by {@code ...};
 *   <li>an object keeps its first 20 members, then gains {@code "<truncated>": true}; keys become
 *       Python {@code str(key)} ({@code True}, {@code None}, …) capped at 128 characters plus
 *       {@code "..."};
 *   <li>a list, set, iterable or object array keeps its first 20 items, then gains the item {@code
 *       "<truncated>"};
 *   <li>anything else becomes {@code "<unsupported:SimpleClassName>"}.
 * </ul>
 *
 * <p>Sanitising is idempotent, so a decision read back from JSON keeps its details unchanged.
 */
public final class DecisionDetails {
  public static final int MAX_STRING_LENGTH = 256;
  public static final int MAX_KEY_LENGTH = 128;
  public static final int MAX_CONTAINER_ITEMS = 20;
  public static final int MAX_DEPTH = 4;
  public static final int MAX_BYTES_PREVIEW = 32;

  static final String TRUNCATED = "<truncated>";
  static final String MAX_DEPTH_REACHED = "<max_depth_reached>";

  private static final JsonNodeFactory NODES = Json.nodes();

  private DecisionDetails() {}

  /**
   * The sanitised form of Java values: strings, numbers, booleans, null, byte arrays, maps,
   * iterables, object arrays and JSON nodes, nested in any way.
   */
  public static ObjectNode sanitize(Map<String, ?> details) {
    return (ObjectNode) value(details, 0);
  }

  /**
   * The sanitised form of a JSON object (binary nodes count as bytes).
   *
   * @throws IllegalArgumentException if {@code details} is not an object
   */
  public static ObjectNode sanitize(JsonNode details) {
    if (!details.isObject()) {
      throw new IllegalArgumentException("details must be a JSON object");
    }
    return (ObjectNode) value(details, 0);
  }

  /** {@code s} cut to {@code max} code points plus {@code "..."} when longer. */
  static String cap(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max)) + "...";
  }

  private static JsonNode value(@Nullable Object value, int depth) {
    if (depth >= MAX_DEPTH) {
      return NODES.stringNode(MAX_DEPTH_REACHED);
    }
    if (value instanceof JsonNode node) {
      return json(node, depth);
    }
    return switch (value) {
      case null -> NODES.nullNode();
      case Boolean b -> NODES.booleanNode(b);
      case Integer i -> NODES.numberNode(i);
      case Long l -> NODES.numberNode(l);
      case Short s -> NODES.numberNode(s);
      case Byte b -> NODES.numberNode(b);
      case BigInteger i -> NODES.numberNode(i);
      case BigDecimal d -> NODES.numberNode(d);
      case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
      case Float f -> Float.isFinite(f) ? NODES.numberNode(f) : NODES.nullNode();
      case String s -> NODES.stringNode(cap(s, MAX_STRING_LENGTH));
      case byte[] bytes -> NODES.stringNode(bytesPreview(bytes));
      case Map<?, ?> map -> {
        ObjectNode out = NODES.objectNode();
        int count = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (count++ >= MAX_CONTAINER_ITEMS) {
            out.put(TRUNCATED, true);
            break;
          }
          out.set(cap(pythonStr(e.getKey()), MAX_KEY_LENGTH), value(e.getValue(), depth + 1));
        }
        yield out;
      }
      case Iterable<?> items -> list(items, depth);
      case Object[] items -> list(Arrays.asList(items), depth);
      default -> NODES.stringNode("<unsupported:" + value.getClass().getSimpleName() + ">");
    };
  }

  private static JsonNode json(JsonNode node, int depth) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        ObjectNode out = NODES.objectNode();
        int count = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (count++ >= MAX_CONTAINER_ITEMS) {
            out.put(TRUNCATED, true);
            break;
          }
          out.set(cap(e.getKey(), MAX_KEY_LENGTH), value(e.getValue(), depth + 1));
        }
        yield out;
      }
      case ARRAY -> list(node, depth);
      case STRING -> NODES.stringNode(cap(node.stringValue(), MAX_STRING_LENGTH));
      case BINARY -> NODES.stringNode(bytesPreview(node.binaryValue()));
      case NUMBER, BOOLEAN -> node.deepCopy();
      case NULL, MISSING -> NODES.nullNode();
      case POJO -> {
        // Float text kept verbatim by CanonicalJson.parseKeepingFloatText: still a JSON number.
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue) {
          yield node.deepCopy();
        }
        yield value(((POJONode) node).getPojo(), depth);
      }
    };
  }

  private static ArrayNode list(Iterable<?> items, int depth) {
    ArrayNode out = NODES.arrayNode();
    int count = 0;
    for (Object item : items) {
      if (count++ >= MAX_CONTAINER_ITEMS) {
        out.add(TRUNCATED);
        break;
      }
      out.add(value(item, depth + 1));
    }
    return out;
  }

  private static String bytesPreview(byte[] bytes) {
    int n = Math.min(bytes.length, MAX_BYTES_PREVIEW);
    return "<bytes:" + HexFormat.of().formatHex(bytes, 0, n) + "...>";
  }

  /** Python {@code str()} of a dictionary key of a basic type. */
  private static String pythonStr(@Nullable Object key) {
    return switch (key) {
      case null -> "None";
      case Boolean b -> b ? "True" : "False";
      case Double d -> PythonJson.floatRepr(d);
      case Float f -> PythonJson.floatRepr(f.doubleValue());
      default -> String.valueOf(key);
    };
  }
}
