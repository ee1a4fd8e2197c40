package dev.handshake.audit.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TransparencyLogTest {
  static byte[] entry(int i) {
    return ("leaf " + i).getBytes(UTF_8);
  }

  @Test
  void appendsReturnConsecutiveIndexesAndGrowTheTree() {
    try (TransparencyLog log = TransparencyLog.open(new InMemoryLogStore())) {
      assertThat(log.head()).isEqualTo(new TreeHead(0, MerkleHashes.emptyRoot()));
      assertThat(log.append(entry(0))).isZero();
      assertThat(log.appendAll(List.of(entry(1), entry(2)))).isEqualTo(1);
      assertThat(log.size()).isEqualTo(3);
      assertThat(log.root(3)).isEqualTo(MerkleHashes.root(NaiveMerkle.leaves(3)));
      assertThat(log.entry(2)).isEqualTo(entry(2));
      assertThat(log.leafHash(2)).isEqualTo(NaiveMerkle.leaf(2));
    }
  }

  @Test
  void openingALogRebuildsItsTreeFromTheStoredLeafHashes() {
    InMemoryLogStore store = new InMemoryLogStore();
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      entries.add(entry(i));
    }
    store.appendAll(entries, entries.stream().map(MerkleHashes::leafHash).toList());
    TransparencyLog log = TransparencyLog.open(store);
    assertThat(log.head().root()).isEqualTo(MerkleHashes.root(NaiveMerkle.leaves(1000)));
    assertThat(log.root(777)).isEqualTo(MerkleHashes.root(NaiveMerkle.leaves(777)));
    assertThat(log.append(entry(1000))).isEqualTo(1000);
  }

  @Test
  void anEntryOverTheLimitIsRefusedAndTheTreeIsUnchanged() {
    try (TransparencyLog log = TransparencyLog.open(new InMemoryLogStore(new LogConfig(8, 100)))) {
      log.append(entry(0));
      Sha256Hash root = log.root(1);
      assertThatThrownBy(() -> log.append(new byte[9]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.head()).isEqualTo(new TreeHead(1, root));
      assertThat(log.maxEntryBytes()).isEqualTo(8);
    }
  }

  @Test
  void aFullLogRefusesAppends() {
    LogConfig config = new LogConfig(64, 3);
    try (TransparencyLog log = TransparencyLog.open(new InMemoryLogStore(config), config)) {
      log.appendAll(List.of(entry(0), entry(1)));
      assertThatThrownBy(() -> log.appendAll(List.of(entry(2), entry(3))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("full");
      assertThat(log.append(entry(2))).isEqualTo(2);
      assertThatThrownBy(() -> log.append(entry(3))).isInstanceOf(IllegalStateException.class);
      assertThat(log.size()).isEqualTo(3);
    }
  }

  @Test
  void aFailedStoreWriteLeavesTheTreeAsItWas() {
    InMemoryLogStore healthy = new InMemoryLogStore();
    AtomicBoolean failing = new AtomicBoolean();
    LogStore flaky =
        new LogStore() {
          @Override
          public long appendAll(List<byte[]> entries, List<Sha256Hash> leafHashes) {
            if (failing.get()) {
              throw new LogStoreException("disk full");
            }
            return healthy.appendAll(entries, leafHashes);
          }

          @Override
          public long size() {
            return healthy.size();
          }

          @Override
          public Sha256Hash leafHash(long index) {
            return healthy.leafHash(index);
          }

          @Override
          public List<Sha256Hash> leafHashes(long start, int count) {
            return healthy.leafHashes(start, count);
          }

          @Override
          public byte[] entry(long index) {
            return healthy.entry(index);
          }

          @Override
          public int maxEntryBytes() {
            return healthy.maxEntryBytes();
          }

          @Override
          public void close() {}
        };
    TransparencyLog log = TransparencyLog.open(flaky);
    log.append(entry(0));
    TreeHead before = log.head();
    failing.set(true);
    assertThatThrownBy(() -> log.append(entry(1))).isInstanceOf(LogStoreException.class);
    assertThat(log.head()).isEqualTo(before);
    failing.set(false);
    assertThat(log.append(entry(1))).isEqualTo(1);
  }

  @Test
  void proofsServedWhileAppendingAlwaysVerify() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(new InMemoryLogStore());
        ExecutorService pool = Executors.newFixedThreadPool(3)) {
      log.append(entry(0));
      AtomicBoolean done = new AtomicBoolean();
      Future<?> writer =
          pool.submit(() -> {
            for (int i = 1; i < 3000; i++) {
              log.append(entry(i));
            }
            done.set(true);
          });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(() -> {
              int checked = 0;
              while (!done.get() || checked < 100) {
                TreeHead head = log.head();
                long index = (checked * 7919L) % head.size();
                List<Sha256Hash> proof = log.inclusionProof(index, head.size());
                if (!MerkleProofs.verifyInclusion(
                    MerkleHashes.leafHash(entry((int) index)),
                    index,
                    head.size(),
                    proof,
                    head.root())) {
                  throw new AssertionError("inclusion of " + index + " in " + head.size());
                }
                long older = head.size() / 2;
                if (!MerkleProofs.verifyConsistency(
                    older,
                    head.size(),
                    log.root(older),
                    head.root(),
                    log.consistencyProof(older, head.size()))) {
                  throw new AssertionError("consistency " + older + " -> " + head.size());
                }
                checked++;
              }
              return checked;
            }));
      }
      writer.get();
      for (Future<Integer> reader : readers) {
        assertThat(reader.get()).isGreaterThanOrEqualTo(100);
      }
      assertThat(log.size()).isEqualTo(3000);
    }
  }

  @Test
  void rootsOfSizesBeyondTheLogAreRefused() {
    try (TransparencyLog log = NaiveMerkle.memoryLog(3)) {
      assertThatThrownBy(() -> log.root(4)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.root(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThat(log.root(0)).isEqualTo(MerkleHashes.emptyRoot());
    }
  }
}
