package dev.handshake.pairing.device;

/** Where a device request stands (pairing.md §2.4); every state but PENDING is final. */
public enum DeviceRequestState {
  PENDING,
  APPROVED,
  REJECTED,
  EXPIRED,
  /** A retry with another key, role or scopes replaced it; see {@link DeviceRequest#supersededBy}. */
  SUPERSEDED;

  public boolean live() {
    return this == PENDING;
  }
}
