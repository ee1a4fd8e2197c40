package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import tools.jackson.databind.JsonNode;

/** Per-session mutual exclusion of action, notify and extend (hpp.md §3 items 8, 15). */
public abstract class ConcurrencyConformance extends HppConformanceBase {
  static final int THREADS = 8;
  static final int PER_THREAD = 50;

  @BothProfiles
  @DisplayName("§3.8 [both] concurrent actions and notifies on one session are serialized: seq unique and gap-free, no lost writes")
  void concurrentWritesSerialized(Profile profile) throws Exception {
    HppServer s = start(profile.builder().rateLimitPerMinute(100_000).historyLimit(10_000).build());
    BrowserSession b = s.defaultSession();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Integer>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          go.await();
          List<Integer> statuses = new ArrayList<>();
          for (int i = 0; i < PER_THREAD; i++) {
            String key = "t" + thread + "-" + i;
            HttpReply r = (i % 2 == 0)
                ? s.action(b, "{\"actions\":[{\"key\":\"" + key + "\",\"value\":" + i + "},{\"key\":\"shared\",\"value\":\"" + key + "\"}]}")
                : s.notify(b, "{\"key\":\"" + key + "\",\"value\":" + i + "}");
            statuses.add(r.status());
          }
          return statuses;
        }));
      }
      go.countDown();
      for (Future<List<Integer>> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as("every concurrent request succeeded").containsOnly(200);
      }
    } finally {
      pool.shutdownNow();
    }
    int actions = THREADS * PER_THREAD / 2;
    int notifies = THREADS * PER_THREAD / 2;
    int expectedChanges = actions * 2 + notifies;
    JsonNode changes = s.diffOk(b, "sinceSeq=0").get("changes");
    assertThat(changes).as("every applied write is logged exactly once").hasSize(expectedChanges);
    Set<Long> seqs = new HashSet<>();
    long prev = 0;
    for (JsonNode c : changes) {
      long seq = c.get("seq").asLong();
      assertThat(seqs.add(seq)).as("seq %d is unique", seq).isTrue();
      assertThat(seq).as("seq increases along the log").isGreaterThan(prev);
      prev = seq;
    }
    assertThat(prev - changes.get(0).get("seq").asLong() + 1).as("no gaps in seq").isEqualTo(expectedChanges);
    JsonNode data = s.contextOk(b).get("data");
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < PER_THREAD; i++) {
        assertThat(data.path("t" + t + "-" + i).asInt(-1)).as("write t%d-%d is not lost", t, i).isEqualTo(i);
      }
    }
    assertThat(data.get("shared").asString()).as("the last logged write of a shared key is the value")
        .isEqualTo(lastTo(changes, "shared"));
  }

  @BothProfiles
  @DisplayName("§3.8 [both] concurrent AI writes and user edits on one form-fill field never leave an AI value over a user edit")
  void concurrentOwnership(Profile profile) throws Exception {
    HppServer s = start(profile.builder().rateLimitPerMinute(100_000).build());
    BrowserSession b = s.formFill("[{\"key\":\"f\"}]", "{}");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        boolean user = t % 2 == 0;
        fs.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 40; i++) {
            if (user) {
              s.notify(b, "{\"key\":\"f\",\"value\":\"user\"}");
            } else {
              s.action(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"f\",\"value\":\"ai\"}]}");
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonNode f = s.contextOk(b).get("context").get("f");
    assertThat(f.get("value").asString()).as("after any user edit the AI can no longer write").isEqualTo("user");
    JsonNode changes = s.diffOk(b, "since=" + HppServer.urlEncode("2000-01-01T00:00:00+00:00")).get("changes");
    boolean userSeen = false;
    for (JsonNode c : changes) {
      String by = c.get("by").asString();
      if (!by.equals("ai")) {
        userSeen = true;
      } else {
        assertThat(userSeen).as("no AI write is logged after a user edit").isFalse();
      }
    }
  }

  static String lastTo(JsonNode changes, String key) {
    String last = null;
    for (JsonNode c : changes) {
      if (c.get("key").asString().equals(key)) {
        last = c.get("to").asString();
      }
    }
    return last;
  }
}
