package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** What a device's connect gave (pairing.md §2.4): paired, waiting for approval, or refused. */
public sealed interface ConnectOutcome {

  /**
   * The device is paired for {@code role} and {@code scopes}.
   *
   * @param token a new token for the role, handed over now and never again; empty when the
   *     device already holds a live one and did not ask to rotate
   */
  record Paired(String deviceId, String role, Set<String> scopes, Optional<BearerSecret> token)
      implements ConnectOutcome {
    public Paired {
      scopes = Names.sorted(scopes);
    }
  }

  /**
   * An operator must approve {@code requestId} first; nothing is granted until then (node
   * capabilities stay hidden, OpenClaw #65168).
   *
   * @param upgrade the device is paired, but asked for a role or scope beyond its approval
   */
  record PairingRequired(String requestId, boolean upgrade, Instant expiresAt)
      implements ConnectOutcome {}

  /** The connect is refused: a failed proof or a pairing rule. */
  record Refused(ConnectRefusal refusal) implements ConnectOutcome {}
}
