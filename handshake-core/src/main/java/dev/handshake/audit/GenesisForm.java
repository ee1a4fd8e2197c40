package dev.handshake.audit;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import java.util.Optional;

/**
 * The four {@code previous_hash} conventions the reference uses for a chain's first event
 * (aiss.md §2.2), plus "none of them". We write {@link #PUBLIC_KEY_HASH}.
 */
public enum GenesisForm {
  PUBLIC_KEY_HASH("sha256-public-key"),
  ZEROS("zeros"),
  NULL("null"),
  LITERAL_GENESIS("literal-genesis"),
  OTHER("other");

  public static final String ZERO_HASH = "0".repeat(64);
  private final String label;

  GenesisForm(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The previous_hash our stamper writes for the first event of {@code key}'s chain. */
  public static String genesisHash(Ed25519PublicKey key) {
    return Sha256.hex(key.raw());
  }

  public static GenesisForm of(Optional<String> previousHash, Ed25519PublicKey key) {
    if (previousHash.isEmpty()) {
      return NULL;
    }
    String value = previousHash.get();
    if (value.equals(genesisHash(key))) {
      return PUBLIC_KEY_HASH;
    }
    if (value.equals(ZERO_HASH)) {
      return ZEROS;
    }
    return value.equals("genesis") ? LITERAL_GENESIS : OTHER;
  }
}
