package dev.handshake.pairing.device;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shapes of the words a device sends: roles, scopes and client ids are short names that cannot
 * break the {@code |}-separated signed payload or the {@code ,}-joined scope list; free text
 * (platform, display name) has no {@code |} and no control characters.
 */
final class Names {
  static final int MAX_NAME = 128;
  static final int MAX_TEXT = 256;

  private Names() {}

  /** 1 to {@code max} characters of {@code A-Z a-z 0-9 . _ : -}. */
  static boolean isName(String s, int max) {
    if (s.isEmpty() || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isName(String s) {
    return isName(s, MAX_NAME);
  }

  /** At most {@code max} characters, none of them {@code |} or a control character. */
  static boolean isText(String s, int max) {
    if (s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '|' || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  static boolean allNames(Collection<String> names) {
    for (String n : names) {
      if (!isName(n)) {
        return false;
      }
    }
    return true;
  }

  /** An unmodifiable sorted copy: the one order scopes are stored, signed and shown in. */
  static SortedSet<String> sorted(Collection<String> names) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(names));
  }

  /** Display text as stored: control and {@code |} characters dropped, at most MAX_TEXT. */
  static String clean(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT));
    for (int i = 0; i < s.length() && out.length() < MAX_TEXT; i++) {
      char c = s.charAt(i);
      if (c != '|' && !Character.isISOControl(c)) {
        out.append(c);
      }
    }
    return out.toString().strip();
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    TreeSet<String> u = new TreeSet<>(a);
    u.addAll(b);
    return Collections.unmodifiableSortedSet(u);
  }
}
