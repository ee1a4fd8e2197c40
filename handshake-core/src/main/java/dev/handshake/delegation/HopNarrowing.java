package dev.handshake.delegation;

import java.util.HashSet;

/**
 * Whether one set of permissions stays within another (trusthandoff.md §2.7 scope check, §3 item
 * 4): actions a subset by exact string, and the tool-call limit never growing. A null (unlimited)
 * child under a numeric parent grows it unless {@code legacyNullUnlimited} (the reference, N13).
 */
final class HopNarrowing {
  private HopNarrowing() {}

  static boolean narrows(Permissions parent, Permissions child, boolean legacyNullUnlimited) {
    if (!new HashSet<>(parent.allowedActions()).containsAll(child.allowedActions())) {
      return false;
    }
    if (parent.maxToolCalls().isEmpty()) {
      return true;
    }
    if (child.maxToolCalls().isEmpty()) {
      return legacyNullUnlimited;
    }
    return child.maxToolCalls().get() <= parent.maxToolCalls().get();
  }
}
