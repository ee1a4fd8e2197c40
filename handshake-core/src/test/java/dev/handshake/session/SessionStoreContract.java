package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.SecretDigest;
import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every {@link SessionStore} must do (DESIGN.md rule 3); extended once per implementation.
 * Sessions are built here as the engine builds them; times are fixed epoch microseconds, so nothing
 * depends on the wall clock.
 */
abstract class SessionStoreContract {
  /** 2026-01-01T12:00:00Z in epoch microseconds: the creation time of every test session. */
  static final long T0 = 1_767_268_800_000_000L;

  static final int THREADS = 8;

  protected SessionStore store;

  /** A fresh, empty store. */
  protected abstract SessionStore open() throws Exception;

  /** Releases what {@link #open} acquired; the default does nothing. */
  protected void release(SessionStore store) throws Exception {}

  @BeforeEach
  void setUp() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDown() throws Exception {
    release(store);
  }

  static SessionState session(String id) {
    ObjectNode meta = Json.object();
    meta.put("page", "checkout");
    ArrayNode schema = Json.mapper().createArrayNode();
    schema.addObject().put("key", "email").put("type", "string");
    return new SessionState(
        id,
        SecretDigest.of("token-" + id),
        SecretDigest.of("binding-" + id),
        Json.nodes().stringNode("form-fill"),
        "form-fill",
        schema,
        meta,
        1800,
        T0);
  }

  @Test
  void anInsertedSessionIsFoundByUpdate() {
    assertThat(store.insert(session("s1"), 0)).isTrue();

    Optional<String> handler = store.update("s1", SessionState::handler);

    assertThat(handler).contains("form-fill");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void updatingAnUnknownSessionRunsNothingAndIsEmpty() {
    AtomicInteger runs = new AtomicInteger();

    Optional<Integer> r = store.update("nope", s -> runs.incrementAndGet());

    assertThat(r).isEmpty();
    assertThat(runs).as("the change must not run without a session").hasValue(0);
  }

  @Test
  void whatAnUpdateChangesIsSeenByTheNextUpdate() {
    store.insert(session("s1"), 0);

    store.update(
        "s1",
        s -> {
          s.setOwner("alice");
          s.setTtlSeconds(900);
          s.meta().put("step", 2);
          s.values()
              .put(
                  "email",
                  new FieldValue(Json.nodes().stringNode("a@b.c"), FieldOwner.USER, T0 + 1));
          s.values().put("name", new FieldValue(Json.nodes().nullNode(), FieldOwner.EMPTY, T0 + 2));
          s.data().put("z", Json.nodes().numberNode(1.5));
          s.data().put("a", Json.nodes().booleanNode(true));
          s.recordChange(
              "email",
              Json.nodes().nullNode(),
              Json.nodes().stringNode("a@b.c"),
              "user",
              T0 + 3,
              10);
          s.recordChange(
              "z", Json.nodes().nullNode(), Json.nodes().numberNode(1.5), "ai", T0 + 4, 10);
          s.touch(T0 + 5_000_000);
          return true;
        });

    Map<String, Object> seen =
        store
            .update(
                "s1",
                s ->
                    Map.<String, Object>of(
                        "owner", s.owner().orElseThrow(),
                        "touched", s.touchedAtMicros(),
                        "ttl", s.ttlSeconds(),
                        "meta", Json.text(s.meta()),
                        "values", List.copyOf(s.values().entrySet()),
                        "dataKeys", List.copyOf(s.data().keySet()),
                        "changes", s.changes()))
            .orElseThrow();
    assertThat(seen)
        .containsEntry("owner", "alice")
        .containsEntry("touched", T0 + 5_000_000)
        .containsEntry("ttl", 900L)
        .containsEntry("meta", "{\"page\":\"checkout\",\"step\":2}")
        .containsEntry("dataKeys", List.of("z", "a"));
    assertThat(seen.get("values").toString())
        .as("field values keep their order, owners and times")
        .isEqualTo(
            List.of(
                    Map.entry(
                        "email",
                        new FieldValue(Json.nodes().stringNode("a@b.c"), FieldOwner.USER, T0 + 1)),
                    Map.entry(
                        "name", new FieldValue(Json.nodes().nullNode(), FieldOwner.EMPTY, T0 + 2)))
                .toString());
    assertThat(seen.get("changes").toString())
        .isEqualTo(
            List.of(
                    new Change(
                        1,
                        "email",
                        Json.nodes().nullNode(),
                        Json.nodes().stringNode("a@b.c"),
                        "user",
                        T0 + 3),
                    new Change(
                        2,
                        "z",
                        Json.nodes().nullNode(),
                        Json.nodes().numberNode(1.5),
                        "ai",
                        T0 + 4))
                .toString());
  }

  @Test
  void theChangeLogContinuesItsSequenceAcrossUpdates() {
    store.insert(session("s1"), 0);
    store.update(
        "s1",
        s -> s.recordChange("k", Json.nodes().nullNode(), Json.nodes().numberNode(1), "ai", T0, 2));
    store.update(
        "s1",
        s ->
            s.recordChange(
                "k", Json.nodes().numberNode(1), Json.nodes().numberNode(2), "ai", T0, 2));

    Change third =
        store
            .update(
                "s1",
                s ->
                    s.recordChange(
                        "k", Json.nodes().numberNode(2), Json.nodes().numberNode(3), "ai", T0, 2))
            .orElseThrow();

    assertThat(third.seq()).isEqualTo(3);
    assertThat(store.update("s1", s -> s.changes().stream().map(Change::seq).toList()))
        .as("the log keeps only the last two changes")
        .contains(List.of(2L, 3L));
  }

  @Test
  void secretsAndIdentityOfASessionSurviveTheStore() {
    store.insert(session("s1"), 0);

    List<Object> seen =
        store
            .update(
                "s1",
                s ->
                    List.<Object>of(
                        s.token().matches("token-s1"),
                        s.token().matches("token-s2"),
                        s.binding().orElseThrow().matches("binding-s1"),
                        s.mode().stringValue(),
                        Json.text(s.schema()),
                        s.createdAtMicros()))
            .orElseThrow();

    assertThat(seen)
        .containsExactly(
            true, false, true, "form-fill", "[{\"key\":\"email\",\"type\":\"string\"}]", T0);
  }

  @Test
  void insertingBeyondTheLiveLimitIsRefusedAndStoresNothing() {
    assertThat(store.insert(session("s1"), 2)).isTrue();
    assertThat(store.insert(session("s2"), 2)).isTrue();

    assertThat(store.insert(session("s3"), 2)).as("third session with maxLive 2").isFalse();

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.update("s3", s -> true)).isEmpty();
  }

  @Test
  void removingASessionFreesItsPlaceUnderTheLimit() {
    store.insert(session("s1"), 1);
    assertThat(store.insert(session("s2"), 1)).isFalse();

    assertThat(store.remove("s1")).isTrue();

    assertThat(store.insert(session("s2"), 1)).isTrue();
  }

  @Test
  void aLimitOfZeroMeansUnlimited() {
    for (int i = 0; i < 50; i++) {
      assertThat(store.insert(session("s" + i), 0)).isTrue();
    }
    assertThat(store.size()).isEqualTo(50);
  }

  @Test
  void insertingAnIdThatIsAlreadyStoredIsAnError() {
    store.insert(session("s1"), 0);

    assertThatThrownBy(() -> store.insert(session("s1"), 0))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void removeIsTrueOnlyForAStoredSession() {
    store.insert(session("s1"), 0);

    assertThat(store.remove("s1")).isTrue();
    assertThat(store.remove("s1")).as("second remove").isFalse();
    assertThat(store.update("s1", s -> true)).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void aSessionRemovedDuringAnUpdateStaysRemoved() {
    store.insert(session("s1"), 0);

    store.update(
        "s1",
        s -> {
          store.remove("s1");
          s.setOwner("late writer");
          return true;
        });

    assertThat(store.update("s1", s -> true))
        .as("the update must not bring the session back")
        .isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void removeIfRemovesExactlyTheMatchingSessionsAndReturnsTheirIds() {
    for (int i = 0; i < 10; i++) {
      store.insert(session("s" + i), 0);
    }
    for (int i = 0; i < 10; i += 3) {
      store.update(
          "s" + i,
          s -> {
            s.setOwner("stale");
            return true;
          });
    }

    List<String> removed = store.removeIf(s -> s.owner().isPresent());

    assertThat(removed).containsExactlyInAnyOrder("s0", "s3", "s6", "s9");
    assertThat(store.size()).isEqualTo(6);
    assertThat(store.update("s3", s -> true)).isEmpty();
    assertThat(store.update("s4", s -> true)).isPresent();
  }

  @Test
  void removeIfWithNothingMatchingRemovesNothing() {
    store.insert(session("s1"), 0);

    assertThat(store.removeIf(s -> false)).isEmpty();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void concurrentUpdatesOfOneSessionAreSerialisedAndEachRunsOnce() throws Exception {
    store.insert(session("s1"), 0);
    int perThread = 25;
    AtomicInteger runs = new AtomicInteger();

    race(() -> {
      for (int i = 0; i < perThread; i++) {
        store.update(
            "s1",
            s -> {
              runs.incrementAndGet();
              int n = s.data().containsKey("n") ? s.data().get("n").intValue() : 0;
              s.data().put("n", Json.nodes().numberNode(n + 1));
              return n;
            });
      }
      return null;
    });

    assertThat(store.update("s1", s -> s.data().get("n").intValue()))
        .as("no increment may be lost")
        .contains(THREADS * perThread);
    assertThat(runs).as("each update runs its change exactly once").hasValue(THREADS * perThread);
  }

  @Test
  void concurrentInsertsNeverExceedTheLiveLimit() throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<List<Boolean>> results =
        race(() -> {
          List<Boolean> mine = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            mine.add(store.insert(session("c" + next.incrementAndGet()), 7));
          }
          return mine;
        });

    assertThat(results.stream().flatMap(List::stream).filter(b -> b)).hasSize(7);
    assertThat(store.size()).isEqualTo(7);
  }

  /** Runs {@code task} on {@link #THREADS} threads released together; their results. */
  static <T> List<T> race(java.util.concurrent.Callable<T> task) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(() -> {
              go.await();
              return task.call();
            }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }
}
