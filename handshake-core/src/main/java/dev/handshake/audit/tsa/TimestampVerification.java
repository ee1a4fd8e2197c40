package dev.handshake.audit.tsa;

/**
 * The outcome of obtaining or re-checking an RFC 3161 token: {@link Verified} with the anchored
 * timestamp, or {@link Failed} with the one check that failed.
 *
 * <pre>{@code
 * switch (client.timestamp(event)) {
 *   case TimestampVerification.Verified v -> store.add(v.timestamp());
 *   case TimestampVerification.Failed f -> log(f.failure().label() + ": " + f.detail());
 * }
 * }</pre>
 */
public sealed interface TimestampVerification {

  /** True for {@link Verified}. */
  default boolean verified() {
    return this instanceof Verified;
  }

  /** Every check passed; {@code timestamp} carries the TSA's genTime and the token. */
  record Verified(TrustedTimestamp timestamp) implements TimestampVerification {}

  /** A check failed; {@code detail} says what was seen (never a secret). */
  record Failed(TsaFailure failure, String detail) implements TimestampVerification {
    @Override
    public String toString() {
      return failure.label() + ": " + detail;
    }
  }
}
