package dev.handshake.bench;

/**
 * Hand-offs decided per second as a ratio to the raw Ed25519 verify rate, measured in alternating
 * blocks ({@link PairedRatio}) with {@link DelegationBench}'s packets and receivers. Issue 5's
 * target: a single packet at ≥ 0.85 of the verify-bound ceiling; a three-hop chain is shown
 * against its ceiling of verify / 4.
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar dev.handshake.bench.DelegationRatio
 * [rounds]}.
 */
public final class DelegationRatio {
  private DelegationRatio() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    DelegationBench bench = new DelegationBench();
    bench.setup();
    bench.freshReceivers();
    PairedRatio paired = new PairedRatio(250, 12, rounds);
    System.out.println(paired.compare("single packet / verify", bench::verify, () -> {
      bench.renewWhenSpent();
      return bench.receiveSingle().accepted();
    }, 1));
    bench.freshReceivers();
    System.out.println(paired.compare("three-hop chain / (verify/4)", bench::verify, () -> {
      bench.renewWhenSpent();
      return bench.receiveThreeHop().accepted();
    }, 4));
  }
}
