package dev.handshake.pairing;

import java.util.Optional;
import java.util.UUID;

/**
 * Which request an approver means. The approver never supplies an identity: the request already
 * names its requester (pairing.md §3.2 rule 3). A target that names a request and also carries a
 * code counts a wrong code against that request (§4 item 6).
 */
public sealed interface ApprovalTarget {
  /** A code alone, optionally restricted to a channel type and account ({@code --channel}). */
  record ByCode(PairingCode code, Optional<String> channelType, Optional<String> accountId)
      implements ApprovalTarget {}

  /** A request picked from a list by its id. */
  record ById(String requestId) implements ApprovalTarget {}

  /** A request by id, confirmed with the code its requester was given. */
  record ByIdAndCode(String requestId, PairingCode code) implements ApprovalTarget {}

  /** The live request of one sender, confirmed with its code (PraisonAI's button path). */
  record BySenderAndCode(Requester requester, PairingCode code) implements ApprovalTarget {}

  static ApprovalTarget code(PairingCode code) {
    return new ByCode(code, Optional.empty(), Optional.empty());
  }

  /**
   * What a person typed on a command line: a request id (a UUID) or a code; empty when it is
   * neither.
   */
  static Optional<ApprovalTarget> parse(
      String typed, CodeAlphabet alphabet, Optional<String> channelType, Optional<String> account) {
    String t = typed.strip();
    if (t.length() == 36) {
      try {
        return Optional.of(new ById(UUID.fromString(t).toString()));
      } catch (IllegalArgumentException notAUuid) {
        return Optional.empty();
      }
    }
    return PairingCode.parse(t, alphabet).map(c -> new ByCode(c, channelType, account));
  }
}
