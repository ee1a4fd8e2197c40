package dev.handshake.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

  @Test
  void readsTheServersDbFlagForm() {
    PostgresConfig c = PostgresConfig.parse("postgresql://ann:s3cret@db.example:6543/handshake");
    assertThat(c.host()).isEqualTo("db.example");
    assertThat(c.port()).isEqualTo(6543);
    assertThat(c.database()).isEqualTo("handshake");
    assertThat(c.user()).isEqualTo("ann");
    assertThat(c.password().reveal()).isEqualTo("s3cret");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/handshake");
    assertThat(c.poolSize()).isEqualTo(PostgresConfig.DEFAULT_POOL_SIZE);
    assertThat(c.connectionTimeout()).isEqualTo(PostgresConfig.DEFAULT_CONNECTION_TIMEOUT);
  }

  @Test
  void acceptsJdbcUrlsWithCredentialsInTheQueryAndPassesOtherParametersToTheDriver() {
    PostgresConfig c =
        PostgresConfig.parse(
            "jdbc:postgresql://10.0.0.5/app?user=svc&password=p%26w&sslmode=verify-full");
    assertThat(c.host()).isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(5432);
    assertThat(c.user()).isEqualTo("svc");
    assertThat(c.password().reveal()).isEqualTo("p&w");
    assertThat(c.driverProperties()).isEqualTo(Map.of("sslmode", "verify-full"));
  }

  @Test
  void decodesPercentEncodedPasswordsAndBracketedIpv6Hosts() {
    PostgresConfig c = PostgresConfig.parse("postgres://u:a%40b%3Ac%2Fd@[::1]:5433/x");
    assertThat(c.password().reveal()).isEqualTo("a@b:c/d");
    assertThat(c.host()).isEqualTo("::1");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/x");
  }

  @Test
  void hostNamesWithUnderscoresAreAccepted() {
    PostgresConfig c = PostgresConfig.parse("postgresql://u:p@db_1:5432/x");
    assertThat(c.host()).isEqualTo("db_1");
    assertThat(c.port()).isEqualTo(5432);
  }

  @Test
  void theDatabaseDefaultsToTheUserNameAsInLibpq() {
    assertThat(PostgresConfig.parse("postgresql://ann:pw@localhost").database()).isEqualTo("ann");
  }

  @Test
  void neitherToStringNorErrorsRevealThePassword() {
    PostgresConfig c =
        PostgresConfig.parse("postgresql://ann:topsecret@h/db?sslpassword=keypass&sslmode=require");
    assertThat(c.toString())
        .doesNotContain("topsecret")
        .doesNotContain("keypass")
        .contains("password=****")
        .contains("sslmode=require");
    assertThatThrownBy(() -> PostgresConfig.parse("mysql://ann:topsecret@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> PostgresConfig.parse("postgresql://ann:top secret%@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percent-encode")
        .hasMessageNotContaining("top secret");
  }

  @Test
  void everyLimitIsBounded() {
    PostgresConfig c = PostgresConfig.parse("postgresql://u:p@h/db");
    assertThatThrownBy(() -> c.withPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withPoolSize(1_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withConnectionTimeout(Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withSocketTimeout(Duration.ZERO))
        .as("no socket timeout would let a silent server hang a call")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withLockTimeout(Duration.ofSeconds(30)))
        .as("a lock wait must end before the socket timeout")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(c.withPoolSize(3).withConnectionTimeout(Duration.ofSeconds(1)).poolSize())
        .isEqualTo(3);
  }
}
