package dev.handshake.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The throughput of a subject as a ratio to a baseline, measured in alternating short blocks on
 * one thread so that both see the same machine: on a shared 2-core VM, separate JMH runs minutes
 * apart drift by ±10 %, which is larger than the margins the targets leave. Each round runs the
 * baseline for one block, then the subject for one block; the ratio of that round's two rates is
 * one sample, and the median of all rounds is reported with its spread.
 *
 * <p>JMH stays the tool for absolute rates; this is for the "ours vs. baseline" ratios.
 */
final class PairedRatio {
  /** One comparison's outcome: ops/s of each side (medians) and the per-round ratios. */
  record Result(String name, double baselineRate, double subjectRate, double[] ratios) {
    double median() {
      return percentile(0.5);
    }

    double percentile(double p) {
      double[] sorted = ratios.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }

    @Override
    public String toString() {
      return String.format(
          "%-28s baseline %,10.0f ops/s  subject %,10.0f ops/s  ratio median %.3f"
              + "  (p10 %.3f, p90 %.3f, %d rounds)",
          name, baselineRate, subjectRate, median(), percentile(0.1), percentile(0.9),
          ratios.length);
    }
  }

  private final long blockNanos;
  private final int warmupRounds;
  private final int rounds;

  PairedRatio(long blockMillis, int warmupRounds, int rounds) {
    this.blockNanos = blockMillis * 1_000_000;
    this.warmupRounds = warmupRounds;
    this.rounds = rounds;
  }

  /**
   * @param baseline one baseline operation; its result is consumed so it cannot be optimised away
   * @param subject one subject operation
   * @param subjectWeight how many baseline operations one subject operation is worth at its
   *     ceiling (4 for a packet whose chain needs four verifies)
   */
  Result compare(String name, BooleanSupplier baseline, BooleanSupplier subject, int subjectWeight) {
    for (int i = 0; i < warmupRounds; i++) {
      rate(baseline);
      rate(subject);
    }
    List<double[]> samples = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      double b = rate(baseline);
      double s = rate(subject);
      samples.add(new double[] {b, s, s * subjectWeight / b});
    }
    return new Result(
        name,
        median(samples, 0),
        median(samples, 1),
        samples.stream().mapToDouble(x -> x[2]).toArray());
  }

  private static double median(List<double[]> samples, int column) {
    double[] v = samples.stream().mapToDouble(x -> x[column]).sorted().toArray();
    return v[v.length / 2];
  }

  /** Operations per second over one block. */
  private double rate(BooleanSupplier op) {
    long start = System.nanoTime();
    long deadline = start + blockNanos;
    long ops = 0;
    int sink = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink += op.getAsBoolean() ? 1 : 0;
      }
      ops += 16;
      now = System.nanoTime();
    } while (now < deadline);
    if (sink == Integer.MIN_VALUE) {
      System.out.print("");
    }
    return ops * 1e9 / (now - start);
  }
}
