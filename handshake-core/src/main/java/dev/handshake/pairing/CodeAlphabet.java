package dev.handshake.pairing;

/**
 * The symbols a human pairing code is drawn from (pairing.md §2.1, §3.2 rule 2). Both have no
 * confusable pairs (0/O, 1/I), so a code read aloud or retyped survives.
 */
public enum CodeAlphabet {
  /** PraisonAI's and OpenClaw's 32 symbols: 8 of them are 40 bits. The default. */
  REFERENCE("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
  /** RFC 8628 §6.1's base-20 consonants: 8 of them are about 34.6 bits. */
  RFC8628_BASE20("BCDFGHJKLMNPQRSTVWXZ");

  private final String symbols;

  CodeAlphabet(String symbols) {
    this.symbols = symbols;
  }

  public String symbols() {
    return symbols;
  }

  boolean contains(char c) {
    return symbols.indexOf(c) >= 0;
  }
}
