package dev.handshake.relay;

/**
 * Who may read {@code discover:agents} and {@code discover:stats} ({@code keep.discovery.agents},
 * {@code keep.discovery.stats}; keep.md §3 item 8).
 */
public enum DiscoveryExposure {
  /** Everyone sees everything (the reference; the upstream discovery test needs it). */
  PUBLIC,
  /** The querier sees only its own names and counters. */
  SELF,
  /** The query is answered {@code error:unknown_discovery}. */
  OFF;

  public static DiscoveryExposure parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown discovery exposure '" + text + "' (expected public, self or off)", e);
    }
  }
}
