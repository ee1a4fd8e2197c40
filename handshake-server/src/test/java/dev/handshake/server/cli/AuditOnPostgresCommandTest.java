package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.tsa.LocalTsa;
import dev.handshake.audit.tsa.TestPki;
import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.json.Json;
import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.postgres.PostgresTimestampStore;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake audit stamp|head|export|import|timestamp --db}: the audit verbs work on the
 * chains {@code serve --db} keeps in PostgreSQL, and nothing lands in SQLite in {@code --data}.
 */
class AuditOnPostgresCommandTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(Map.of(CliRun.PASS_VAR, "audit on postgres")::get,
          SecretPrompt.none(), Clock.systemUTC(), new SecureRandom());

  private static TestPki pki;
  private static LocalTsa tsa;

  @TempDir Path dir;

  @BeforeAll
  static void startTsa() throws IOException {
    pki = TestPki.generate("Db");
    tsa = LocalTsa.start(pki);
  }

  @AfterAll
  static void stopTsa() {
    tsa.close();
  }

  @BeforeEach
  void emptyTheDatabase() {
    PG.truncate("audit_event", "audit_head", "audit_seen_nonce", "audit_timestamp");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private CliRun run(String... args) {
    return CliRun.execute(ENVIRONMENT, args);
  }

  private CliRun onDb(String verb, Path key, String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", verb, "--key", key.toString(),
        "--data", data().toString(), "--db", PG.pg().url(), "--passphrase-env", CliRun.PASS_VAR));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  @Test
  void stampHeadAndExportWithDbUseTheChainInPostgresAndLeaveNoSqliteFile() throws IOException {
    Path key = CliRun.newKey(ENVIRONMENT, dir.resolve("agent.key"));
    for (int amount = 100; amount <= 300; amount += 100) {
      CliRun r = onDb("stamp", key, "--payload", "{\"event_type\":\"order\",\"amount\":" + amount + "}");
      assertThat(r.exit()).as("stamp --db: %s", r.err()).isZero();
    }
    assertThat(data().resolve(SqliteAuditStore.FILE_NAME)).doesNotExist();
    String agentId = json(onDb("stamp", key, "--payload", "{\"event_type\":\"note\"}").out())
        .get("agent_id").asString();
    assertThat(PostgresAuditStore.open(PG.db()).count(agentId)).isEqualTo(4);

    CliRun head = onDb("head", key);
    assertThat(head.exit()).as("head --db: %s", head.err()).isZero();
    assertThat(json(head.out()).get("event_count").asLong()).isEqualTo(4);

    Path export = dir.resolve("chain.json");
    CliRun exported = onDb("export", key, "--out", export.toString());
    assertThat(exported.exit()).as("export --db: %s", exported.err()).isZero();
    CliRun verified = run("audit", "verify", export.toString(), "--json");
    assertThat(verified.exit()).as("verify: %s", verified.out()).isZero();
    assertThat(json(verified.out()).get("valid").asBoolean()).isTrue();

    CliRun withoutDb = run("audit", "export", "--key", key.toString(), "--data", data().toString(),
        "--out", dir.resolve("empty.json").toString(), "--passphrase-env", CliRun.PASS_VAR);
    assertThat(withoutDb.exit()).as("the SQLite folder holds no chain").isEqualTo(2);
    assertThat(withoutDb.err()).contains(SqliteAuditStore.FILE_NAME + " is missing");
  }

  @Test
  void importWithDbStoresAVerifiedExportInPostgres() throws IOException {
    Path key = CliRun.newKey(ENVIRONMENT, dir.resolve("agent.key"));
    Path local = dir.resolve("local");
    CliRun.stampThreeOrders(ENVIRONMENT, key, local);
    Path export = dir.resolve("chain.json");
    CliRun exported = run("audit", "export", "--key", key.toString(), "--data", local.toString(),
        "--out", export.toString(), "--passphrase-env", CliRun.PASS_VAR);
    assertThat(exported.exit()).as("export: %s", exported.err()).isZero();

    CliRun imported = run("audit", "import", export.toString(), "--data", data().toString(),
        "--db", PG.pg().url());

    assertThat(imported.exit()).as("import --db: %s", imported.err()).isZero();
    assertThat(imported.out()).contains("imported 3 events").contains("PostgreSQL at");
    PostgresAuditStore store = PostgresAuditStore.open(PG.db());
    assertThat(store.agents()).hasSize(1);
    assertThat(store.count(store.agents().getFirst())).isEqualTo(3);
    assertThat(data().resolve(SqliteAuditStore.FILE_NAME)).doesNotExist();
  }

  @Test
  void timestampWithDbKeepsTheTokenBesideTheChainInPostgres() throws IOException {
    tsa.behave(LocalTsa.Behaviour.GRANT);
    Path key = CliRun.newKey(ENVIRONMENT, dir.resolve("agent.key"));
    String stamped = onDb("stamp", key, "--payload", "{\"event_type\":\"order\"}").out();
    String hash = AuditEvent.of((ObjectNode) json(stamped)).hash();
    Path root = dir.resolve("tsa-root.pem");
    Files.write(root, pki.caPem());

    CliRun r = run("audit", "timestamp", "--data", data().toString(), "--db", PG.pg().url(),
        "--tsa", tsa.url().toString(), "--tsa-root", root.toString());

    assertThat(r.exit()).as("timestamp --db: %s", r.err()).isZero();
    assertThat(r.out()).contains("anchored:  " + hash).contains("stored in: PostgreSQL at");
    try (TimestampStore tokens = PostgresTimestampStore.open(PG.db())) {
      assertThat(tokens.forEvent(hash)).hasSize(1);
    }
    assertThat(data().resolve(SqliteTimestampStore.FILE_NAME)).doesNotExist();
  }

  @Test
  void anUnreachableDatabaseIsAClearErrorNotAStackTrace() throws IOException {
    Path key = CliRun.newKey(ENVIRONMENT, dir.resolve("agent.key"));
    CliRun r = run("audit", "head", "--key", key.toString(), "--data", data().toString(),
        "--db", "postgresql://127.0.0.1:1/nowhere?user=x", "--passphrase-env", CliRun.PASS_VAR);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("audit head").doesNotContain("\tat ");
  }
}
