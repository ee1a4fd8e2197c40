package dev.handshake.store.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An event log of a table-like Redis store, used inside its units of work ({@link RedisTables}): a
 * sorted set of events (JSON) scored by their {@code seq}, and a counter key holding the last
 * {@code seq} given, so numbers keep increasing even after old events are dropped. Appends are
 * numbered at once (the store's lock is held, so nobody else appends) and written at commit.
 */
final class EventLog<E> {
  /** How a store's events are written and read. */
  interface Codec<E> {
    byte[] write(E event);

    E read(byte[] stored);

    long seq(E event);

    Instant at(E event);

    E numbered(E event, long seq);
  }

  /** Events read per round trip when forgetting old ones. */
  private static final int BATCH = 256;

  private final String key;
  private final String seqKey;
  private final Codec<E> codec;
  private final RedisConnection redis;
  private final RedisTables.Writes writes;
  private final List<E> appended = new ArrayList<>();
  private long lastSeq = -1;

  private EventLog(
      String key, String seqKey, Codec<E> codec, RedisConnection redis, RedisTables.Writes writes) {
    this.key = key;
    this.seqKey = seqKey;
    this.codec = codec;
    this.redis = redis;
    this.writes = writes;
  }

  /** The log {@code key} (counter {@code seqKey}) as one unit of work sees it. */
  static <E> EventLog<E> in(
      String key, String seqKey, Codec<E> codec, RedisConnection redis, RedisTables.Writes writes) {
    return new EventLog<>(key, seqKey, codec, redis, writes);
  }

  /** Numbers {@code event} after the last one and writes it at commit; returns its number. */
  long append(E event) {
    if (lastSeq < 0) {
      byte[] stored = redis.call("GET", c -> c.get(redis.key(seqKey)));
      lastSeq = stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.UTF_8));
    }
    long seq = ++lastSeq;
    E numbered = codec.numbered(event, seq);
    appended.add(numbered);
    writes.zadd(key, seq, codec.write(numbered));
    return seq;
  }

  /** Up to {@code limit} events after {@code afterSeq}, in order, this unit of work's included. */
  List<E> after(long afterSeq, int limit) {
    Range<Long> after = Range.from(Range.Boundary.excluding(afterSeq), Range.Boundary.unbounded());
    List<byte[]> stored =
        redis.call(
            "ZRANGEBYSCORE", c -> c.zrangebyscore(redis.key(key), after, Limit.create(0, limit)));
    List<E> out = new ArrayList<>();
    stored.forEach(s -> out.add(codec.read(s)));
    // events appended in this unit of work come after every stored one
    appended.stream().filter(e -> codec.seq(e) > afterSeq).forEach(out::add);
    return out.stream().limit(limit).toList();
  }

  /** Drops the stored events from before {@code cutoff} (the oldest ones, in order). */
  void forgetBefore(Instant cutoff) {
    long lastOld = -1;
    long from = 0;
    boolean more = true;
    while (more) {
      long start = from;
      List<byte[]> batch =
          redis.call("ZRANGE", c -> c.zrange(redis.key(key), start, start + BATCH - 1));
      more = batch.size() == BATCH;
      for (byte[] stored : batch) {
        E e = codec.read(stored);
        if (!codec.at(e).isBefore(cutoff)) {
          more = false;
          break;
        }
        lastOld = codec.seq(e);
      }
      from += BATCH;
    }
    if (lastOld >= 0) {
      writes.zremRangeByScore(key, Long.MIN_VALUE, lastOld);
    }
  }

  /** The last writes of the unit of work: the counter, and the bound of {@code maxEvents}. */
  void finish(int maxEvents) {
    if (!appended.isEmpty()) {
      writes.set(seqKey, RedisConnection.utf8(Long.toString(lastSeq)));
      writes.zremRangeByRank(key, 0, -1L - maxEvents);
    }
  }
}
