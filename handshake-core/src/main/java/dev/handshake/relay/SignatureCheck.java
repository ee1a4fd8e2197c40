package dev.handshake.relay;

/** The result of checking a packet's {@code sig} and {@code pk} (keep.md §2.2, §2.4 steps 2–3). */
public enum SignatureCheck {
  VALID,
  /** Both {@code sig} and {@code pk} empty: dropped with its own log line. */
  UNSIGNED,
  /** {@code pk} present or {@code sig} present but {@code pk} not 32 bytes. */
  MALFORMED_PK,
  /** {@code sig} not 64 bytes. */
  MALFORMED_SIG,
  /** Lengths right, signature wrong (includes {@code S >= L} and keys that are not points). */
  INVALID;

  public boolean valid() {
    return this == VALID;
  }
}
