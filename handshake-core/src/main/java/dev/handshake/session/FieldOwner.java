package dev.handshake.session;

/** Who last wrote a form-fill field (hpp.md §2.7, the {@code by} value). */
public enum FieldOwner {
  EMPTY("empty"),
  USER("user"),
  AI("ai"),
  USER_EDIT("user_edit");

  private final String wire;

  FieldOwner(String wire) {
    this.wire = wire;
  }

  /** The value on the wire. */
  public String wire() {
    return wire;
  }

  /** Whether an AI write to a field owned like this is refused. */
  public boolean lockedAgainstAi() {
    return this == USER || this == USER_EDIT;
  }
}
