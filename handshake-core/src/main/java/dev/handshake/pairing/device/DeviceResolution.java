package dev.handshake.pairing.device;

import java.util.Locale;
import java.util.Optional;

/** What approving or rejecting a device request did (pairing.md §2.4). */
public sealed interface DeviceResolution {

  /** The device is paired with the request's role and scopes added to what it had. */
  record Approved(DeviceRequest request, PairedDevice device) implements DeviceResolution {}

  /** The request is rejected for good; nothing was granted. */
  record Rejected(DeviceRequest request) implements DeviceResolution {}

  /**
   * Nothing changed.
   *
   * @param request the request the id named, when it exists (for {@code SUPERSEDED} it names the
   *     replacement in {@link DeviceRequest#supersededBy})
   */
  record Failed(Failure failure, Optional<DeviceRequest> request) implements DeviceResolution {}

  /** Why an approve or reject changed nothing; {@link #message()} is for people. */
  enum Failure {
    NOT_FOUND("no device request has this id"),
    ALREADY_APPROVED("the request was already approved"),
    REJECTED("the request was rejected"),
    EXPIRED("the request expired; the device must connect again"),
    SUPERSEDED("the device replaced this request with a newer one; approve that one");

    private final String message;

    Failure(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }

    /** {@code not_found}, {@code superseded}… as a JSON error code. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
