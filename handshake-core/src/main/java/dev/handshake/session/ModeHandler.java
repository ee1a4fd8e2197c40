package dev.handshake.session;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session mode (hpp.md §2.7): how a session is set up, what the agent sees, how its actions and
 * the person's edits are applied. The engine owns authentication, pacing, pushes and hooks.
 */
public interface ModeHandler {

  /** The mode name this handler is registered under. */
  String name();

  /**
   * Fills a new session from the create body.
   *
   * @throws BadInput when the body does not fit the mode (our 400s)
   */
  void setup(SessionState session, ObjectNode body, ModeContext context);

  /** Writes the mode's keys of the context response (after {@code sessionId} and {@code mode}). */
  void writeContext(SessionState session, ObjectNode out, ModeContext context);

  /** Applies one agent action (already checked to be an object). */
  ActionOutcome applyAction(SessionState session, ObjectNode action, ModeContext context);

  /** Adds mode-specific keys to the action response (form-fill: {@code missing}, {@code context}). */
  void writeActionExtras(SessionState session, ObjectNode response, ModeContext context);

  /** Required fields still empty, in schema order; empty for modes without a schema. */
  List<String> missing(SessionState session, ModeContext context);

  /** Whether the agent's {@code intervalMs} paces this mode's streamed pushes. */
  boolean paced();

  /**
   * Whether the person may write {@code key}; false makes notify answer 400 {@code unknown key}
   * and the WebSocket ignore the edit.
   */
  boolean acceptsUserKey(SessionState session, String key, ModeContext context);

  /** Applies the person's edit (notify or WebSocket {@code userEdit}). */
  void userEdit(SessionState session, String key, JsonNode value, ModeContext context);

  /** Refuses a create body with a specific 400 message. */
  final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInput(String message) {
      super(message, null, false, false);
    }
  }
}
