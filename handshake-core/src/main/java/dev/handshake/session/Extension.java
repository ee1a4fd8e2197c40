package dev.handshake.session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Decides how many seconds an extend request adds, or why it is refused (hpp.md §2.3.6). */
record Extension(long seconds, @Nullable HppResponse refusal) {
  private static final Logger LOG = LoggerFactory.getLogger(Extension.class);
  private static final long MAX_ONE_CALL = 86_400;
  private static final String RANGE = "extraSeconds must be between 1 and 86400";
  private static final String DENIED = "extension denied by server policy";
  private static final Pattern PY_INT = Pattern.compile("[+-]?[0-9]+(?:_[0-9]+)*");

  static Extension decide(
      SessionEngine engine, SessionState s, ObjectNode body, RequestInfo request, long now) {
    JsonNode raw = body.has("extraSeconds") ? body.get("extraSeconds") : null;
    BigInteger requested = raw == null ? BigInteger.valueOf(1800) : pythonInt(raw);
    if (requested == null
        || requested.signum() <= 0
        || requested.compareTo(BigInteger.valueOf(MAX_ONE_CALL)) > 0) {
      return refuse(400, RANGE);
    }
    long extra = requested.longValueExact();
    boolean replaced = false;
    for (SessionHooks.ExtendHook hook : engine.hooks.extend()) {
      SessionHooks.ExtendDecision d;
      try {
        d = hook.onExtend(s, extra, request);
      } catch (HookDenied e) {
        return refuse(403, e.publicMessage());
      } catch (RuntimeException e) {
        LOG.warn("extend hook failed", e);
        return refuse(403, "request denied");
      }
      switch (d) {
        case SessionHooks.ExtendDecision.Deny deny -> {
          return refuse(403, DENIED);
        }
        case SessionHooks.ExtendDecision.Replace r when r.seconds() > 0 -> {
          extra = Math.min(r.seconds(), MAX_ONE_CALL);
          replaced = true;
        }
        default -> {}
      }
    }
    long allowed = allowedSeconds(engine.config, s, now);
    if (extra > allowed) {
      // a hook's value is clamped to the caps (hpp.md §3 item 6); the caller's own is refused
      if (!replaced || allowed < 1) {
        return refuse(403, DENIED);
      }
      extra = allowed;
    }
    return new Extension(extra, null);
  }

  /** The most seconds the caps (total extension, absolute lifetime) still allow. */
  private static long allowedSeconds(SessionConfig c, SessionState s, long now) {
    long allowed = c.maxTotalExtension().toSeconds() - s.extendedSeconds();
    if (c.maxSessionLifetime().isPresent()) {
      long deadline = s.createdAtMicros() + c.maxSessionLifetime().get().toNanos() / 1000;
      long untilDeadline = (deadline - now) / 1_000_000L - s.ttlSeconds();
      allowed = Math.min(allowed, untilDeadline);
    }
    return allowed;
  }

  private static Extension refuse(int status, String message) {
    return new Extension(0, HppResponse.error(status, message));
  }

  /** Python's {@code int(x)} for a decoded JSON value, or null where it would raise. */
  static @Nullable BigInteger pythonInt(JsonNode v) {
    if (v.isBoolean()) {
      return v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue();
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      return new BigDecimal(d).toBigInteger();
    }
    if (v.isString()) {
      String t = v.stringValue().strip();
      if (PY_INT.matcher(t).matches()) {
        return new BigInteger(t.replace("_", ""));
      }
    }
    return null;
  }
}
