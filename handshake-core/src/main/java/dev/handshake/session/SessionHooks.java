package dev.handshake.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Host callbacks (hpp.md §2.8): several of each kind may be registered and run in order. Hooks
 * run while the engine holds the session exclusively, so they must be quick.
 */
public final class SessionHooks {
  /** Runs after setup, before the session is stored; throw {@link HookDenied} to refuse. */
  @FunctionalInterface
  public interface CreateHook {
    void onCreateSession(SessionState session, RequestInfo request);
  }

  /** Runs once per action before validation; return {@code false} to veto the write. */
  @FunctionalInterface
  public interface ActionHook {
    boolean onAction(SessionState session, ObjectNode action, RequestInfo request);
  }

  /** Runs after the range check of an extend; may deny it or replace the number of seconds. */
  @FunctionalInterface
  public interface ExtendHook {
    ExtendDecision onExtend(SessionState session, long extraSeconds, RequestInfo request);
  }

  /** Runs after the {@code done} push of every authorised action request; errors are ignored. */
  @FunctionalInterface
  public interface DoneHook {
    void onDone(SessionState session, List<String> applied, List<String> rejected, JsonNode errors);
  }

  /** An extra guard on notify, after the browser binding check. */
  @FunctionalInterface
  public interface BrowserAuth {
    boolean allow(RequestInfo request, SessionState session);
  }

  /** Replaces the reference type rules for form-fill fields; the enum check still runs after. */
  @FunctionalInterface
  public interface FieldValidator {
    boolean valid(JsonNode value, String fieldType);
  }

  /** What an extend hook decided. */
  public sealed interface ExtendDecision {
    record Unchanged() implements ExtendDecision {}

    record Deny() implements ExtendDecision {}

    record Replace(long seconds) implements ExtendDecision {}

    static ExtendDecision unchanged() {
      return new Unchanged();
    }

    static ExtendDecision deny() {
      return new Deny();
    }

    static ExtendDecision replace(long seconds) {
      return new Replace(seconds);
    }
  }

  private final List<CreateHook> create;
  private final List<ActionHook> action;
  private final List<ExtendHook> extend;
  private final List<DoneHook> done;
  private final List<BrowserAuth> browserAuth;
  private final Optional<FieldValidator> validator;

  private SessionHooks(Builder b) {
    create = List.copyOf(b.create);
    action = List.copyOf(b.action);
    extend = List.copyOf(b.extend);
    done = List.copyOf(b.done);
    browserAuth = List.copyOf(b.browserAuth);
    validator = b.validator;
  }

  public static SessionHooks none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<CreateHook> create() {
    return create;
  }

  public List<ActionHook> action() {
    return action;
  }

  public List<ExtendHook> extend() {
    return extend;
  }

  public List<DoneHook> done() {
    return done;
  }

  public List<BrowserAuth> browserAuth() {
    return browserAuth;
  }

  public Optional<FieldValidator> validator() {
    return validator;
  }

  /** Builder for {@link SessionHooks}. */
  public static final class Builder {
    private final List<CreateHook> create = new ArrayList<>();
    private final List<ActionHook> action = new ArrayList<>();
    private final List<ExtendHook> extend = new ArrayList<>();
    private final List<DoneHook> done = new ArrayList<>();
    private final List<BrowserAuth> browserAuth = new ArrayList<>();
    private Optional<FieldValidator> validator = Optional.empty();

    public Builder onCreateSession(CreateHook h) {
      create.add(h);
      return this;
    }

    public Builder onAction(ActionHook h) {
      action.add(h);
      return this;
    }

    public Builder onExtend(ExtendHook h) {
      extend.add(h);
      return this;
    }

    public Builder onDone(DoneHook h) {
      done.add(h);
      return this;
    }

    public Builder requireBrowserAuth(BrowserAuth h) {
      browserAuth.add(h);
      return this;
    }

    public Builder validator(FieldValidator v) {
      validator = Optional.of(v);
      return this;
    }

    public SessionHooks build() {
      return new SessionHooks(this);
    }
  }
}
