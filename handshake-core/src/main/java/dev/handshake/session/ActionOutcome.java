package dev.handshake.session;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The result of one agent action (hpp.md §2.3.3). */
public sealed interface ActionOutcome {
  /** Written; pushed to sockets when streaming. */
  record Applied(String key, JsonNode value) implements ActionOutcome {}

  /** Refused for the key (ownership or veto), optionally with an error entry. */
  record Rejected(String key, Optional<ObjectNode> error) implements ActionOutcome {}

  /** Not applied and not listed as rejected; only an error entry. */
  record Failed(ObjectNode error) implements ActionOutcome {}

  /**
   * What the {@code onAction} hooks' verdict means for {@code key}: a veto is a plain rejection, a
   * failing hook a rejection with an error entry (hpp.md §2.8); empty when the hooks passed.
   */
  static Optional<ActionOutcome> vetoed(ModeContext.HookVerdict verdict, String key) {
    return switch (verdict) {
      case ModeContext.HookVerdict.Pass p -> Optional.empty();
      case ModeContext.HookVerdict.Veto v -> Optional.of(new Rejected(key, Optional.empty()));
      case ModeContext.HookVerdict.Failed f ->
          Optional.of(
              new Rejected(key, Optional.of(dev.handshake.session.internal.FieldRules.keyError(key, f.message()))));
    };
  }
}
