package dev.handshake.pairing;

/** Where a pairing request stands (pairing.md §3.2 rule 1); every state but PENDING is final. */
public enum RequestState {
  PENDING,
  APPROVED,
  DENIED,
  EXPIRED,
  SUPERSEDED;

  public boolean live() {
    return this == PENDING;
  }
}
