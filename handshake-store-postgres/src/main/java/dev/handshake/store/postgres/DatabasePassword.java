package dev.handshake.store.postgres;

import java.util.Arrays;

/**
 * The password of the database user: a secret, so it prints as {@code ****} and is only read
 * through {@link #reveal}, where the driver needs it.
 */
public final class DatabasePassword {
  private static final DatabasePassword NONE = new DatabasePassword(new char[0]);
  private final char[] value;

  private DatabasePassword(char[] value) {
    this.value = value;
  }

  /** The password {@code value}. */
  public static DatabasePassword of(String value) {
    return value.isEmpty() ? NONE : new DatabasePassword(value.toCharArray());
  }

  /** No password (peer or trust authentication, or one supplied by {@code .pgpass}). */
  public static DatabasePassword none() {
    return NONE;
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  /** The password itself, for the JDBC driver. */
  public String reveal() {
    return new String(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabasePassword p && Arrays.equals(value, p.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return value.length == 0 ? "(none)" : "****";
  }
}
