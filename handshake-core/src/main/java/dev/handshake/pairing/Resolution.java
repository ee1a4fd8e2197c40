package dev.handshake.pairing;

import java.time.Duration;
import java.util.Optional;

/** What an approve or deny did (pairing.md §3.2 rule 5). */
public sealed interface Resolution {
  /** The request's own requester is now paired. */
  record Approved(PairingRequest request, Grant grant) implements Resolution {}

  /** The request is denied for good; no grant was written. */
  record Denied(PairingRequest request) implements Resolution {}

  /**
   * Nothing changed, except that a wrong code aimed at a request counted against it (and may have
   * expired it).
   *
   * @param request the request the target named, when it named one that exists
   * @param retryAfter how long to wait, for {@link Failure#RATE_LIMITED}; zero otherwise
   */
  record Failed(Failure failure, Optional<PairingRequest> request, Duration retryAfter)
      implements Resolution {}

  /** Why an approve or deny changed nothing; {@link #message()} is for people. */
  enum Failure {
    NOT_FOUND("no pending pairing request has this code or id"),
    WRONG_CODE("the code does not match this request"),
    EXPIRED("the request expired; ask the requester to start again"),
    DENIED("the request was denied"),
    ALREADY_APPROVED("the request was already approved"),
    SUPERSEDED("the request was replaced by a newer one from the same requester"),
    RATE_LIMITED("too many approval attempts; retry later");

    private final String message;

    Failure(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }

    /** {@code not_found}, {@code request_denied}… as a JSON error code. */
    public String code() {
      return this == DENIED ? "request_denied" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
