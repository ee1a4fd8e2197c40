package dev.handshake.audit;

import dev.handshake.crypto.Sha256;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.PythonJson;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a multi-agent session hides payload values before they are stamped (aiss.md §2.6 and §3
 * item 12). Top-level keys ending in {@code _hash} or {@code _id}, and {@code session_id}, pass
 * through; every other key {@code k} becomes {@code k_hash}.
 *
 * <p>{@link #hmac} (our default) keys the hash with a per-session secret over the value's
 * canonical JSON and marks the payload {@code "hash_alg":"hmac-sha256"}, so low-entropy values
 * (a yes/no, an amount) cannot be recovered by guessing. {@link #piqryptUnsalted} is the
 * reference's rule, SHA-256 of Python's {@code str(value)}, for compatibility only (switch {@code
 * aiss.session.autoHash=piqrypt-unsalted}).
 */
public abstract sealed class PayloadHashing {
  public static final String HASH_ALG = "hmac-sha256";

  private PayloadHashing() {}

  public static PayloadHashing hmac(byte[] sessionSecret) {
    return new Hmac(sessionSecret);
  }

  public static PayloadHashing piqryptUnsalted() {
    return new Unsalted();
  }

  /** The hash of one value, as lowercase hex. */
  public abstract String hash(JsonNode value);

  /** Marks the payload with the algorithm, if the rule has a mark. */
  abstract void mark(ObjectNode payload);

  /** {@code payload} with its values hashed by this rule, keys in their original order. */
  public ObjectNode apply(ObjectNode payload) {
    ObjectNode out = payload.objectNode();
    for (Map.Entry<String, JsonNode> e : payload.properties()) {
      String key = e.getKey();
      if (key.endsWith("_hash") || key.endsWith("_id") || key.equals("session_id")) {
        out.set(key, e.getValue().deepCopy());
      } else {
        out.put(key + "_hash", hash(e.getValue()));
      }
    }
    mark(out);
    return out;
  }

  private static final class Unsalted extends PayloadHashing {
    @Override
    public String hash(JsonNode value) {
      return Sha256.hex(PythonJson.str(value));
    }

    @Override
    void mark(ObjectNode payload) {}
  }

  private static final class Hmac extends PayloadHashing {
    private final SecretKeySpec key;

    Hmac(byte[] secret) {
      if (secret.length < 16) {
        throw new IllegalArgumentException("session secret must have at least 128 bits");
      }
      this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    @Override
    public String hash(JsonNode value) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return HexFormat.of().formatHex(mac.doFinal(CanonicalJson.canonicalize(value)));
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
      }
    }

    @Override
    void mark(ObjectNode payload) {
      payload.put("hash_alg", HASH_ALG);
    }
  }
}
