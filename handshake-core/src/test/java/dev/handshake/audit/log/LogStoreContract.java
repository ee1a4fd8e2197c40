package dev.handshake.audit.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link LogStore} promises; extended once per implementation. */
abstract class LogStoreContract {
  private final List<LogStore> opened = new ArrayList<>();

  /** A new, empty store. */
  protected abstract LogStore create(LogConfig config);

  protected LogStore store(LogConfig config) {
    LogStore store = create(config);
    opened.add(store);
    return store;
  }

  protected LogStore store() {
    return store(LogConfig.DEFAULTS);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(LogStore::close);
  }

  static byte[] entry(int i) {
    return ("entry " + i).getBytes(UTF_8);
  }

  @Test
  void aNewStoreIsEmpty() {
    assertThat(store().size()).isZero();
  }

  @Test
  void appendsGetConsecutiveIndexesFromZero() {
    LogStore store = store();
    for (int i = 0; i < 5; i++) {
      assertThat(store.append(entry(i), MerkleHashes.leafHash(entry(i)))).isEqualTo(i);
    }
    assertThat(store.size()).isEqualTo(5);
  }

  @Test
  void readsBackEachEntryAndLeafHashByIndex() {
    LogStore store = store();
    for (int i = 0; i < 5; i++) {
      store.append(entry(i), MerkleHashes.leafHash(entry(i)));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(store.entry(i)).as("entry %d", i).isEqualTo(entry(i));
      assertThat(store.leafHash(i)).isEqualTo(MerkleHashes.leafHash(entry(i)));
    }
  }

  @Test
  void emptyEntriesAreLeavesToo() {
    LogStore store = store();
    store.append(new byte[0], MerkleHashes.leafHash(new byte[0]));
    assertThat(store.entry(0)).isEmpty();
  }

  @Test
  void aBatchAppendsContiguouslyAndReturnsItsFirstIndex() {
    LogStore store = store();
    store.append(entry(0), MerkleHashes.leafHash(entry(0)));
    List<byte[]> batch = List.of(entry(1), entry(2), entry(3));
    long first = store.appendAll(batch, batch.stream().map(MerkleHashes::leafHash).toList());
    assertThat(first).isEqualTo(1);
    assertThat(store.size()).isEqualTo(4);
    assertThat(store.entry(3)).isEqualTo(entry(3));
  }

  @Test
  void leafHashRangesStopAtTheEndOfTheLog() {
    LogStore store = store();
    for (int i = 0; i < 10; i++) {
      store.append(entry(i), MerkleHashes.leafHash(entry(i)));
    }
    assertThat(store.leafHashes(7, 100))
        .containsExactly(
            MerkleHashes.leafHash(entry(7)),
            MerkleHashes.leafHash(entry(8)),
            MerkleHashes.leafHash(entry(9)));
    assertThat(store.leafHashes(10, 5)).isEmpty();
    assertThat(store.leafHashes(0, 0)).isEmpty();
  }

  @Test
  void anEntryOverTheLimitIsRefusedAndNothingOfItsBatchIsStored() {
    LogStore store = store(new LogConfig(16, 100));
    byte[] big = new byte[17];
    assertThatThrownBy(() -> store.append(big, MerkleHashes.leafHash(big)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("17 bytes");
    List<byte[]> batch = List.of(new byte[16], big);
    assertThatThrownBy(
            () -> store.appendAll(batch, batch.stream().map(MerkleHashes::leafHash).toList()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.size()).isZero();
    assertThat(store.append(new byte[16], MerkleHashes.leafHash(new byte[16]))).isZero();
  }

  @Test
  void mismatchedOrEmptyBatchesAreRefused() {
    LogStore store = store();
    assertThatThrownBy(() -> store.appendAll(List.of(entry(0)), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.appendAll(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.size()).isZero();
  }

  @Test
  void readingOutsideTheLogThrowsIndexOutOfBounds() {
    LogStore store = store();
    store.append(entry(0), MerkleHashes.leafHash(entry(0)));
    assertThatThrownBy(() -> store.entry(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.entry(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.leafHash(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void callersCannotChangeStoredEntriesThroughTheirArrays() {
    LogStore store = store();
    byte[] original = entry(0);
    store.append(original, MerkleHashes.leafHash(original));
    original[0] = 'X';
    store.entry(0)[1] = 'Y';
    assertThat(store.entry(0)).isEqualTo(entry(0));
  }

  @Test
  void aClosedStoreRefusesFurtherCalls() {
    LogStore store = store();
    store.append(entry(0), MerkleHashes.leafHash(entry(0)));
    store.close();
    assertThatThrownBy(store::size).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.append(entry(1), MerkleHashes.leafHash(entry(1))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentAppendsGetDistinctIndexesAndAllLand() throws Exception {
    LogStore store = store();
    int threads = 4;
    int each = 25;
    Set<Long> indexes = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(() -> {
              for (int i = 0; i < each; i++) {
                byte[] e = entry(thread * 1000 + i);
                indexes.add(store.append(e, MerkleHashes.leafHash(e)));
              }
            }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertThat(indexes).hasSize(threads * each);
    assertThat(store.size()).isEqualTo(threads * each);
    for (long i = 0; i < threads * each; i++) {
      assertThat(store.leafHash(i)).isEqualTo(MerkleHashes.leafHash(store.entry(i)));
    }
  }
}
