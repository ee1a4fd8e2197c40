package dev.handshake.session.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import dev.handshake.json.PythonJson;
import tools.jackson.databind.JsonNode;

/**
 * Python semantics over JSON values, needed to reproduce reference messages byte for byte: {@code
 * repr()} of a decoded JSON value (delegated to {@link PythonJson#repr}) and {@code ==} (where
 * {@code 1 == 1.0 == True}).
 */
public final class PythonValues {
  private PythonValues() {}

  /** Python's {@code repr()} of the value {@code json.loads} would produce. */
  public static String repr(JsonNode v) {
    return PythonJson.repr(v);
  }

  /** Python {@code ==} between two decoded JSON values. */
  public static boolean equal(JsonNode a, JsonNode b) {
    if (isNumeric(a) && isNumeric(b)) {
      return numeric(a).compareTo(numeric(b)) == 0;
    }
    if (a.isNull() || b.isNull()) {
      return a.isNull() && b.isNull();
    }
    if (a.isString() && b.isString()) {
      return a.stringValue().equals(b.stringValue());
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !equal(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isNumeric(JsonNode n) {
    return n.isNumber() || n.isBoolean();
  }

  private static BigDecimal numeric(JsonNode n) {
    if (n.isBoolean()) {
      return n.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (n.isIntegralNumber()) {
      return new BigDecimal(n.bigIntegerValue());
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN); // never equal
    }
    return new BigDecimal(d);
  }
}
