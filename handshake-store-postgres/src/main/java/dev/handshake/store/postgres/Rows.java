package dev.handshake.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Statements on one connection inside a unit of work of a table-set store (pairing, devices), whose
 * {@code Tx} methods may not throw {@link SQLException}: a failure becomes the store's {@link
 * java.io.UncheckedIOException} (which rolls the transaction back).
 */
final class Rows {
  /** Reads one row. */
  @FunctionalInterface
  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final PostgresDatabase db;
  private final Connection connection;
  private final String what;

  Rows(PostgresDatabase db, Connection connection, String what) {
    this.db = db;
    this.connection = connection;
    this.what = what;
  }

  <T> List<T> query(String sql, Reader<T> reader, @Nullable Object... args) {
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(reader.read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  /** The first column of the first row (a count, a {@code RETURNING} id); 0 when none. */
  long number(String sql, @Nullable Object... args) {
    List<Long> values = query(sql, rs -> rs.getLong(1), args);
    return values.isEmpty() ? 0 : values.getFirst();
  }

  int update(String sql, @Nullable Object... args) {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  /** {@code sql} with {@code args} bound in order; a null is a NULL PostgreSQL types itself. */
  private PreparedStatement prepare(String sql, @Nullable Object... args) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (arg == null) {
          ps.setNull(i + 1, Types.NULL);
        } else {
          ps.setObject(i + 1, arg);
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Takes the transaction-scoped advisory lock {@code (lockClass, key)}. */
  void lock(int lockClass, int key) {
    query("SELECT pg_advisory_xact_lock(?, ?)", rs -> 0, lockClass, key);
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  static @Nullable Long millisOrNull(Optional<Instant> instant) {
    return instant.map(Instant::toEpochMilli).orElse(null);
  }
}
