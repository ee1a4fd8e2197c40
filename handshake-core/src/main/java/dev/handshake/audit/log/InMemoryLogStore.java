package dev.handshake.audit.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link LogStore} in the heap: for tests and logs that may vanish with the process. */
public final class InMemoryLogStore implements LogStore {
  private final int maxEntryBytes;
  private final List<byte[]> entries = new ArrayList<>();
  private final List<Sha256Hash> hashes = new ArrayList<>();
  private boolean closed;

  public InMemoryLogStore(LogConfig config) {
    this.maxEntryBytes = config.maxEntryBytes();
  }

  public InMemoryLogStore() {
    this(LogConfig.DEFAULTS);
  }

  @Override
  public synchronized long appendAll(List<byte[]> newEntries, List<Sha256Hash> leafHashes) {
    checkOpen();
    LeafBatches.check(newEntries, leafHashes, maxEntryBytes);
    long first = entries.size();
    for (int i = 0; i < newEntries.size(); i++) {
      entries.add(newEntries.get(i).clone());
      hashes.add(leafHashes.get(i));
    }
    return first;
  }

  @Override
  public synchronized long size() {
    checkOpen();
    return entries.size();
  }

  @Override
  public synchronized Sha256Hash leafHash(long index) {
    checkOpen();
    return hashes.get(checkIndex(index));
  }

  @Override
  public synchronized List<Sha256Hash> leafHashes(long start, int count) {
    checkOpen();
    int from = (int) Math.min(Math.max(start, 0), hashes.size());
    int to = (int) Math.min((long) from + Math.max(count, 0), hashes.size());
    return List.copyOf(hashes.subList(from, to));
  }

  @Override
  public synchronized byte[] entry(long index) {
    checkOpen();
    return entries.get(checkIndex(index)).clone();
  }

  @Override
  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("log store is closed");
    }
  }

  private int checkIndex(long index) {
    return (int) Objects.checkIndex(index, (long) entries.size());
  }
}
