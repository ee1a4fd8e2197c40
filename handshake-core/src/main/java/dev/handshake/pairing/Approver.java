package dev.handshake.pairing;

import java.util.Optional;

/**
 * Who approves or denies, and from where: the actor is named in the grant and the event, and both
 * are rate-limited separately (pairing.md §3.2 rule 4).
 *
 * @param actor {@code cli:alice}, {@code operator:default}, {@code telegram:123} …
 * @param address the client's network address for HTTP and button calls; empty for the CLI
 */
public record Approver(String actor, Optional<String> address) {
  public Approver {
    if (actor.isBlank() || actor.length() > 256) {
      throw new IllegalArgumentException("an approver needs a name of 1 to 256 characters");
    }
  }

  public static Approver named(String actor) {
    return new Approver(actor, Optional.empty());
  }
}
