package dev.handshake.session;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** What a {@link ModeHandler} may use while the engine holds a session. */
public interface ModeContext {
  SessionConfig config();

  /** Now, in epoch microseconds, from the engine's clock. */
  long nowMicros();

  /** The host's custom field validator, if any. */
  Optional<SessionHooks.FieldValidator> validator();

  /**
   * The session's parsed schema, parsed at most once per engine call (sessions keep it
   * serialised to stay small).
   */
  tools.jackson.databind.node.ArrayNode schemaOf(SessionState session);

  /** Runs the {@code onAction} hooks for one action. */
  HookVerdict runActionHooks(SessionState session, ObjectNode action);

  /** The outcome of the action hooks. */
  sealed interface HookVerdict {
    record Pass() implements HookVerdict {}

    record Veto() implements HookVerdict {}

    /** A hook threw; {@code message} goes to the client in the errors list. */
    record Failed(String message) implements HookVerdict {}
  }
}
