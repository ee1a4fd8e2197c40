package dev.handshake.client;

import java.util.List;

/**
 * Thrown by {@link Prompt#parse(String)} when a prompt lacks {@code sessionId}, {@code token} or
 * {@code baseUrl} (hpp.md §2.9); {@link #missingFields()} names them in that order.
 */
public final class PromptFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> missingFields;

  PromptFormatException(List<String> missingFields) {
    super("missing fields in prompt: " + missingFields);
    this.missingFields = List.copyOf(missingFields);
  }

  /** The required keys that no line of the prompt supplied. */
  public List<String> missingFields() {
    return missingFields;
  }
}
