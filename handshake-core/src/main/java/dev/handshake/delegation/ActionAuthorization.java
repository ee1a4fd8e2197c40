package dev.handshake.delegation;

/**
 * The execution gate's stateless check (trusthandoff.md §2.9 {@code is_action_authorized}): whether
 * a capability allows one more use of an action after {@code toolCallsUsed} tool calls. It trusts
 * the capability as given; verify its chain first. Counting tool calls is the caller's job (§3 item
 * 11), which keeps this a pure function.
 */
public final class ActionAuthorization {
  private ActionAuthorization() {}

  /**
   * True when {@code action} is one of the capability's allowed actions (exact string) and, if it
   * has a tool-call limit, {@code toolCallsUsed} is below it — so a limit of 0 allows nothing and
   * reaching the limit ends the authorization.
   *
   * @throws IllegalArgumentException when {@code toolCallsUsed} is negative, which only a broken
   *     counter produces (the reference would then allow a call beyond the limit)
   */
  public static boolean isActionAuthorized(
      DelegationCapability capability, String action, long toolCallsUsed) {
    if (toolCallsUsed < 0) {
      throw new IllegalArgumentException(
          "toolCallsUsed must not be negative, was " + toolCallsUsed);
    }
    Permissions granted = capability.delegatedPermissions();
    if (!granted.allowedActions().contains(action)) {
      return false;
    }
    return granted.maxToolCalls().map(max -> toolCallsUsed < max).orElse(true);
  }
}
