package dev.handshake.pairing;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PepperFingerprintStore} in memory, for tests and for several pairing services in one
 * process: the first claim wins, as in the shared stores.
 */
public final class InMemoryPepperFingerprintStore implements PepperFingerprintStore {
  private final AtomicReference<@Nullable PepperFingerprint> stored = new AtomicReference<>();

  private InMemoryPepperFingerprintStore() {}

  /** An empty store. */
  public static InMemoryPepperFingerprintStore create() {
    return new InMemoryPepperFingerprintStore();
  }

  @Override
  public PepperFingerprint claim(PepperFingerprint ours) {
    @Nullable PepperFingerprint first = stored.compareAndExchange(null, ours);
    return first == null ? ours : first;
  }
}
