package dev.handshake.pairing.device;

/**
 * Why a device's connect was refused: a failed proof ({@link DeviceAuthError}) or a pairing rule
 * ({@link PairingRefusal}). A transport adapter sends {@link #code()} and {@link #message()}.
 */
public sealed interface ConnectRefusal permits DeviceAuthError, PairingRefusal {
  /** The machine-readable code sent on the wire. */
  String code();

  /** What went wrong and what to do, for people. */
  String message();
}
