package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeviceFlowStore} promises; extended once per implementation. */
abstract class DeviceFlowStoreContract {
  static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
  private final List<DeviceFlowStore> opened = new ArrayList<>();

  /** A new, empty store. */
  protected abstract DeviceFlowStore create();

  protected DeviceFlowStore store() {
    DeviceFlowStore s = create();
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(DeviceFlowStore::close);
  }

  static FlowState flow(String hash) {
    return new FlowState(hash, "11111111-2222-4333-8444-555555555555", "my-cli",
        Set.of("read", "write"), Duration.ofSeconds(5), Optional.empty(), T0.plusSeconds(3600),
        false, Optional.empty());
  }

  @Test
  void anInsertedFlowIsFoundByItsHash() {
    DeviceFlowStore s = store();

    assertThat(s.insert(flow("h1"))).isTrue();

    assertThat(s.find("h1")).contains(flow("h1"));
    assertThat(s.find("h2")).isEmpty();
  }

  @Test
  void everyFieldRoundTripsToTheMillisecond() {
    DeviceFlowStore s = store();
    FlowState f = new FlowState("h", "r", "c", Set.of(), Duration.ofMillis(5_500),
        Optional.of(T0.plusMillis(123)), T0.plusMillis(999), true,
        Optional.of("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));

    s.insert(f);

    assertThat(s.find("h")).contains(f);
  }

  @Test
  void aSecondInsertOfOneHashIsRefusedAndChangesNothing() {
    DeviceFlowStore s = store();
    s.insert(flow("h"));
    FlowState other = new FlowState("h", "other", "other-cli", Set.of(), Duration.ofSeconds(9),
        Optional.empty(), T0, true, Optional.empty());

    assertThat(s.insert(other)).isFalse();

    assertThat(s.find("h")).contains(flow("h"));
  }

  @Test
  void anUpdateWritesTheNextStateAndReturnsTheResult() {
    DeviceFlowStore s = store();
    s.insert(flow("h"));

    Optional<String> result = s.update("h", f -> new DeviceFlowStore.Change<>(
        f.polled(T0.plusSeconds(1), Duration.ofSeconds(10)).markIssued(), "done"));

    assertThat(result).contains("done");
    assertThat(s.find("h")).hasValueSatisfying(f -> {
      assertThat(f.issued()).isTrue();
      assertThat(f.interval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(f.lastPollAt()).contains(T0.plusSeconds(1));
    });
  }

  @Test
  void anUpdateOfAnUnknownHashIsEmptyAndNeverCallsTheChange() {
    DeviceFlowStore s = store();

    Optional<String> result = s.update("nope", f -> {
      throw new AssertionError("change called for an unknown flow");
    });

    assertThat(result).isEmpty();
  }

  @Test
  void anUpdateCannotMoveAFlowToAnotherHash() {
    DeviceFlowStore s = store();
    s.insert(flow("h"));

    assertThatThrownBy(() -> s.update("h", f -> new DeviceFlowStore.Change<>(flow("other"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(s.find("h")).contains(flow("h"));
    assertThat(s.find("other")).isEmpty();
  }

  @Test
  void aFailingChangeWritesNothing() {
    DeviceFlowStore s = store();
    s.insert(flow("h"));

    assertThatThrownBy(() -> s.update("h", f -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(s.find("h")).contains(flow("h"));
  }

  @Test
  void forgetsOnlyFlowsThatExpiredBeforeTheCutoff() {
    DeviceFlowStore s = store();
    s.insert(new FlowState("old", "r", "c", Set.of(), Duration.ofSeconds(5), Optional.empty(),
        T0, false, Optional.empty()));
    s.insert(new FlowState("edge", "r", "c", Set.of(), Duration.ofSeconds(5), Optional.empty(),
        T0.plusSeconds(10), false, Optional.empty()));

    assertThat(s.forgetExpiredBefore(T0.plusSeconds(10))).isEqualTo(1);

    assertThat(s.find("old")).isEmpty();
    assertThat(s.find("edge")).isPresent();
  }

  @Test
  void concurrentUpdatesAreSerialisedSoOnlyOneSeesItUnissued() throws Exception {
    DeviceFlowStore s = store();
    s.insert(flow("h"));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        claims.add(() -> s.update("h",
            f -> new DeviceFlowStore.Change<>(f.markIssued(), !f.issued())).orElseThrow());
      }
      int winners = 0;
      for (Future<Boolean> f : pool.invokeAll(claims)) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).as("threads that flipped issued from false").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
