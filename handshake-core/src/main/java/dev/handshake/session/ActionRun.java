package dev.handshake.session;

import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One action request in progress (hpp.md §2.3.3). Actions are applied one at a time, each under
 * the session's exclusive access, so a person's edit can land between two paced writes exactly as
 * in the reference; the waits between them run on the engine's scheduler, so no thread sleeps and
 * the session is never held while waiting.
 */
final class ActionRun {
  private static final Logger LOG = LoggerFactory.getLogger(ActionRun.class);

  /** The validated request (our 400s come from here, before any state changes). */
  record Plan(List<ObjectNode> actions, boolean stream, long intervalMs) {
    static Plan parse(ObjectNode body, SessionConfig config) {
      JsonNode raw = body.path("actions");
      List<ObjectNode> actions = new ArrayList<>();
      if (!raw.isMissingNode()) {
        if (!raw.isArray()) {
          throw new IllegalArgumentException("actions must be a list");
        }
        if (raw.size() > config.maxActions()) {
          throw new IllegalArgumentException("too many actions");
        }
        for (JsonNode a : raw) {
          if (!a.isObject()) {
            throw new IllegalArgumentException("action must be an object");
          }
          JsonNode key = a.path("key");
          if (!key.isMissingNode() && !key.isNull()) {
            if (!key.isString()) {
              throw new IllegalArgumentException("key must be a string");
            }
            if (key.stringValue().length() > config.maxKeyLength()) {
              throw new IllegalArgumentException("key too long");
            }
          }
          actions.add((ObjectNode) a);
        }
      }
      boolean stream = !body.has("stream") || Json.truthy(body.get("stream"));
      long interval = 300;
      if (body.has("intervalMs")) {
        JsonNode i = body.get("intervalMs");
        if (i.isBoolean()) {
          interval = i.booleanValue() ? 1 : 0;
        } else if (i.isNumber() && Double.isFinite(i.doubleValue())) {
          interval = (long) Math.floor(i.doubleValue());
        } else {
          throw new IllegalArgumentException("intervalMs must be a number");
        }
      }
      interval = Math.max(0, interval);
      if (config.maxIntervalMs() >= 0) {
        interval = Math.min(interval, config.maxIntervalMs());
      }
      return new Plan(actions, stream, interval);
    }
  }

  private final SessionEngine engine;
  private final String sid;
  private final Plan plan;
  private final RequestInfo request;
  private final List<String> applied = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private final ArrayNode errors = Json.mapper().createArrayNode();
  private final CompletableFuture<HppResponse> result = new CompletableFuture<>();
  private int next;
  private long pacedMs;
  private int actionMessages;

  ActionRun(SessionEngine engine, String sid, Plan plan, RequestInfo request) {
    this.engine = engine;
    this.sid = sid;
    this.plan = plan;
    this.request = request;
  }

  CompletableFuture<HppResponse> start() {
    step();
    return result;
  }

  private void step() {
    try {
      List<String> pushes = new ArrayList<>();
      long[] delay = {0};
      boolean alive =
          engine.store.update(sid, s -> applySome(s, pushes, delay)).isPresent();
      for (String push : pushes) {
        actionMessages += engine.bus.publish(sid, new SessionEvent(SessionEvent.Kind.ACTION, push));
      }
      if (!alive) {
        result.complete(HppResponse.error(404, "session not found or expired"));
      } else if (delay[0] > 0) {
        engine.scheduler.schedule(this::step, delay[0], TimeUnit.MILLISECONDS);
      } else {
        finish();
      }
    } catch (RejectedExecutionException e) {
      result.complete(HppResponse.error(503, "server shutting down"));
    } catch (dev.handshake.store.StoreUnavailableException e) {
      // shared state (Redis, PostgreSQL) unreachable: the client may retry; nothing was applied
      LOG.warn("action processing: {}", e.getMessage());
      result.complete(HppResponse.error(503, "session store unavailable; retry shortly"));
    } catch (RuntimeException e) {
      LOG.error("action processing failed", e);
      result.complete(HppResponse.error(500, "internal error"));
    }
  }

  /** Applies actions until one needs a pause; returns true. */
  private Boolean applySome(SessionState s, List<String> pushes, long[] delay) {
    ModeHandler h = engine.handler(s);
    ModeContext ctx = engine.modeContext(request);
    while (next < plan.actions().size()) {
      ObjectNode action = plan.actions().get(next++);
      switch (h.applyAction(s, action, ctx)) {
        case ActionOutcome.Applied a -> {
          applied.add(a.key());
          if (plan.stream()) {
            ObjectNode push = Json.object();
            push.put("type", "action");
            push.put("key", a.key());
            push.set("value", a.value());
            pushes.add(Json.text(push));
            if (h.paced() && pauseAfter()) {
              delay[0] = plan.intervalMs();
              return true;
            }
          }
        }
        case ActionOutcome.Rejected r -> {
          rejected.add(r.key());
          r.error().ifPresent(errors::add);
        }
        case ActionOutcome.Failed f -> errors.add(f.error());
      }
    }
    return true;
  }

  private boolean pauseAfter() {
    long interval = plan.intervalMs();
    if (interval <= 0) {
      return false;
    }
    boolean last = next >= plan.actions().size();
    SessionConfig c = engine.config;
    if (last && !c.sleepAfterLastAction()) {
      return false;
    }
    if (c.maxPacing().isPresent() && pacedMs + interval > c.maxPacing().get().toMillis()) {
      return false;
    }
    pacedMs += interval;
    return true;
  }

  private void finish() {
    ObjectNode[] out = new ObjectNode[2];
    engine.store.update(
        sid,
        s -> {
          ModeHandler h = engine.handler(s);
          ModeContext ctx = engine.modeContext(request);
          ObjectNode response = Json.object();
          response.put("ok", true);
          response.set("applied", FormFillMode.stringArray(applied));
          response.set("rejected", FormFillMode.stringArray(rejected));
          response.set("errors", errors);
          h.writeActionExtras(s, response, ctx);
          ObjectNode done = Json.object();
          done.put("type", "done");
          done.put("applied", applied.size());
          done.set("rejected", FormFillMode.stringArray(rejected));
          done.set("missing", FormFillMode.stringArray(h.missing(s, ctx)));
          out[0] = response;
          out[1] = done;
          return true;
        });
    if (out[0] == null) {
      result.complete(HppResponse.error(404, "session not found or expired"));
      return;
    }
    int delivered =
        engine.bus.publish(sid, new SessionEvent(SessionEvent.Kind.DONE, Json.text(out[1])));
    ObjectNode broadcast = out[0].putObject("broadcast");
    broadcast.put("clients", delivered);
    broadcast.put("actionMessages", actionMessages);
    broadcast.put("doneMessages", delivered);
    if (!engine.hooks.done().isEmpty()) {
      engine.store.update(
          sid,
          s -> {
            for (SessionHooks.DoneHook hook : engine.hooks.done()) {
              try {
                hook.onDone(s, List.copyOf(applied), List.copyOf(rejected), errors.deepCopy());
              } catch (RuntimeException e) {
                LOG.warn("done hook failed", e);
              }
            }
            return true;
          });
    }
    result.complete(HppResponse.json(200, out[0]));
  }
}
