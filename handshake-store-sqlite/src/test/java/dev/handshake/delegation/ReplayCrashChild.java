package dev.handshake.delegation;

import dev.handshake.delegation.ReplayStore.Outcome;
import dev.handshake.store.sqlite.SqliteReplayStore;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Child process of the replay crash test: records fresh pairs until killed, printing each nonce
 * once {@code checkAndRecord} has answered FIRST. Runs with the default options (synchronous
 * NORMAL), which must survive a killed process.
 */
public final class ReplayCrashChild {
  static final String SIGNER = "agent:crash-child";
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final Instant KEEP = Instant.parse("2099-01-01T00:00:00Z");

  private ReplayCrashChild() {}

  public static void main(String[] args) throws Exception {
    SqliteReplayStore store = SqliteReplayStore.open(Path.of(args[0]));
    for (long i = 0; ; i++) {
      String nonce = "nonce_" + i;
      if (store.checkAndRecord(SIGNER, nonce, KEEP, NOW) != Outcome.FIRST) {
        throw new IllegalStateException("fresh nonce not FIRST: " + nonce);
      }
      System.out.println("ack " + nonce);
      System.out.flush();
    }
  }
}
