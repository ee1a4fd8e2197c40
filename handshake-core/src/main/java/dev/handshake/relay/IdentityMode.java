package dev.handshake.relay;

/**
 * How a {@code src} is bound to the key that claims it ({@code keep.identity.mode}, keep.md §3
 * item 1).
 */
public enum IdentityMode {
  /**
   * Default: a src held by a live connection can be re-registered only by a packet signed with
   * the same public key (the owner reconnecting); another key's forwards get {@code
   * error:identity_conflict}, its server and discovery packets are still answered.
   */
  BOUND_LIVE("bound-live"),
  /**
   * A src is bound for good to the first key seen (kept in a {@link PinStore}) or to a configured
   * registry; other keys are refused even while the holder is offline.
   */
  PINNED("pinned"),
  /** The reference: last write wins, any key can take over any src (hijack possible). */
  LEGACY("legacy");

  private final String configName;

  IdentityMode(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Parses {@code bound-live}, {@code pinned} or {@code legacy} (case-insensitive). */
  public static IdentityMode parse(String text) {
    for (IdentityMode mode : values()) {
      if (mode.configName.equalsIgnoreCase(text.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown identity mode '" + text + "' (expected bound-live, pinned or legacy)");
  }
}
