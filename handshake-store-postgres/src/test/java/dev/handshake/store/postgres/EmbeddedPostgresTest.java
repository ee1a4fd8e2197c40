package dev.handshake.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test harness itself: a real server that starts, crashes, restarts and cleans up. */
class EmbeddedPostgresTest {

  @Test
  void startsAServerThatAcceptsTheGivenCredentialsOnLoopback() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.create()) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_database(), inet_server_addr()::text")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(EmbeddedPostgres.DATABASE);
        assertThat(rs.getString(2)).startsWith("127.0.0.1");
      }
      assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong"))
          .as("TCP connections need the password")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void closingStopsTheServerAndDeletesItsFolder() throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.create();
    Path data = pg.dataDirectory();
    assertThat(data.resolve("postmaster.pid")).exists();
    pg.close();
    assertThat(data.getParent()).doesNotExist();
    assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()))
        .isInstanceOf(SQLException.class);
    pg.close(); // twice is harmless
  }

  @Test
  void aKilledServerRestartsOnItsFolderWithCommittedDataIntact() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.create()) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE t (v int)");
        s.executeUpdate("INSERT INTO t VALUES (42)");
      }
      pg.kill9();
      assertThat(pg.isRunning()).isFalse();
      assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()))
          .isInstanceOf(SQLException.class);
      pg.start();
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      assertThat(Files.readString(pg.dataDirectory().getParent().resolve("postgres.log")))
          .as("the restart ran crash recovery")
          .contains("not properly shut down");
    }
  }

  @Test
  void findsTheServerBinaries() {
    Path bin = EmbeddedPostgres.findBinaries();
    assertThat(bin.resolve("initdb")).isExecutable();
    assertThat(bin.resolve("pg_ctl")).isExecutable();
  }

  @Test
  void missingBinariesFailWithWhatToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> EmbeddedPostgres.findBinaries(List.of(empty)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("initdb, pg_ctl")
        .hasMessageContaining("apt-get install -y postgresql")
        .hasMessageContaining(EmbeddedPostgres.BIN_PROPERTY);
  }
}
