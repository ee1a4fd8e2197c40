package dev.handshake.bench;

import dev.handshake.session.HppResponse;
import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.lang.management.ManagementFactory;

/**
 * Heap per idle 10-field form-fill session: creates N sessions through the engine and divides the
 * retained heap growth by N. Run: {@code java -cp handshake-bench/target/benchmarks.jar
 * dev.handshake.bench.SessionHeapBench 100000}.
 */
public final class SessionHeapBench {
  private SessionHeapBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    SessionConfig config =
        SessionConfig.builder().maxLiveSessions(0).createPerMinutePerAddress(0).createAllowNoOrigin(true).build();
    SessionEngine engine = SessionEngine.builder().config(config).build();
    RequestInfo req = RequestInfo.of(name -> null, null, "127.0.0.1");
    long before = usedAfterGc();
    Object[] keep = new Object[1];
    for (int i = 0; i < n; i++) {
      HppResponse r = engine.create(Fixtures.formFill10(), req);
      if (r.status() != 200) {
        throw new IllegalStateException("create failed: " + r.bodyText());
      }
      keep[0] = r;
    }
    keep[0] = null;
    long after = usedAfterGc();
    System.out.printf(
        "sessions=%d heapGrowth=%.1f MiB bytesPerSession=%d%n",
        n, (after - before) / 1048576.0, (after - before) / n);
    engine.close();
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
