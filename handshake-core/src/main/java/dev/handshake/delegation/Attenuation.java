package dev.handshake.delegation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rule that authority only narrows from a parent grant to a child grant, for packet hops and
 * capabilities alike (trusthandoff.md §2.7, §2.8, §3 item 4). Each check answers with the first
 * violation as a short description, or empty when the child stays within the parent.
 *
 * <ul>
 *   <li>Actions: the child's set of {@code allowed_actions} is a subset of the parent's (exact
 *       strings, no wildcards; order and duplicates do not matter).
 *   <li>Tool calls: a child's {@code max_tool_calls} never exceeds the parent's. Under a numeric
 *       parent, a null child means "unlimited" and is a violation — except in {@link #reference()}
 *       and with {@code trusthandoff.legacyNullUnlimited}, where a check runs only when both are
 *       numbers (vector N13).
 *   <li>Constraints (not compared by the reference): {@code max_runtime_seconds} like tool calls;
 *       {@code data_boundary} equal to the parent's unless the parent's is null.
 * </ul>
 */
public final class Attenuation {
  private static final Attenuation REFERENCE = new Attenuation(true, false);
  private static final Attenuation STRICT = new Attenuation(false, true);
  private static final Attenuation LEGACY_NULL = new Attenuation(true, true);

  private final boolean nullIsUnlimited;
  private final boolean compareConstraints;

  private Attenuation(boolean nullIsUnlimited, boolean compareConstraints) {
    this.nullIsUnlimited = nullIsUnlimited;
    this.compareConstraints = compareConstraints;
  }

  /** The reference helpers: null limits pass, constraints are never compared. */
  public static Attenuation reference() {
    return REFERENCE;
  }

  /** Ours (the default): a null limit under a numeric parent is a violation. */
  public static Attenuation strict() {
    return STRICT;
  }

  /** Ours with switch {@code trusthandoff.legacyNullUnlimited} (default false) applied. */
  public static Attenuation of(boolean legacyNullUnlimited) {
    return legacyNullUnlimited ? LEGACY_NULL : STRICT;
  }

  /** A violation at a position of a chain of grants: {@code index} is the offending child. */
  public record Violation(int index, String detail) {}

  /** How the child's permissions exceed the parent's, if they do. */
  public Optional<String> permissions(Permissions parent, Permissions child) {
    Set<String> added = new LinkedHashSet<>(child.allowedActions());
    added.removeAll(Set.copyOf(parent.allowedActions()));
    if (!added.isEmpty()) {
      return Optional.of("adds actions " + added);
    }
    return limit("max_tool_calls", parent.maxToolCalls(), child.maxToolCalls());
  }

  /** How the child's constraints loosen the parent's, if they do; always empty for reference. */
  public Optional<String> constraints(Optional<Constraints> parent, Optional<Constraints> child) {
    if (!compareConstraints || parent.isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> childRuntime = child.flatMap(Constraints::maxRuntimeSeconds);
    Optional<String> runtime =
        limit("max_runtime_seconds", parent.get().maxRuntimeSeconds(), childRuntime);
    if (runtime.isPresent()) {
      return runtime;
    }
    Optional<String> boundary = parent.get().dataBoundary();
    Optional<String> childBoundary = child.flatMap(Constraints::dataBoundary);
    if (boundary.isPresent() && !boundary.equals(childBoundary)) {
      return Optional.of(
          "data_boundary " + boundary.get() + " -> " + childBoundary.orElse("unrestricted"));
    }
    return Optional.empty();
  }

  /** Permissions then constraints: the first way the child exceeds the parent. */
  public Optional<String> grant(
      Permissions parent,
      Optional<Constraints> parentConstraints,
      Permissions child,
      Optional<Constraints> childConstraints) {
    Optional<String> p = permissions(parent, child);
    return p.isPresent() ? p : constraints(parentConstraints, childConstraints);
  }

  /**
   * The first hop whose delegated permissions exceed the previous hop's ({@code
   * validate_delegation_chain}): empty for zero or one hop.
   */
  public Optional<Violation> hops(List<Permissions> hops) {
    for (int i = 1; i < hops.size(); i++) {
      Optional<String> v = permissions(hops.get(i - 1), hops.get(i));
      if (v.isPresent()) {
        return Optional.of(new Violation(i, v.get()));
      }
    }
    return Optional.empty();
  }

  private Optional<String> limit(String name, Optional<Long> parent, Optional<Long> child) {
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    if (child.isEmpty()) {
      return nullIsUnlimited
          ? Optional.empty()
          : Optional.of(name + " " + parent.get() + " -> unlimited");
    }
    return child.get() > parent.get()
        ? Optional.of(name + " " + parent.get() + " -> " + child.get())
        : Optional.empty();
  }

  @Override
  public String toString() {
    return this == REFERENCE
        ? "Attenuation[reference]"
        : "Attenuation[nullIsUnlimited=" + nullIsUnlimited + "]";
  }
}
