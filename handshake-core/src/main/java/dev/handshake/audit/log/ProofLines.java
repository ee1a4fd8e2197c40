package dev.handshake.audit.log;

import java.util.ArrayList;
import java.util.List;

/** Reading the line-oriented proof formats: a cursor over newline-terminated lines. */
final class ProofLines {
  private final String text;
  private int at;

  ProofLines(String text) {
    this.text = text;
  }

  boolean hasLine() {
    return text.indexOf('\n', at) >= 0;
  }

  String peek() throws LogFormatException {
    int end = text.indexOf('\n', at);
    if (end < 0) {
      throw new LogFormatException("proof ends before its checkpoint");
    }
    return text.substring(at, end);
  }

  String next() throws LogFormatException {
    String line = peek();
    at += line.length() + 1;
    return line;
  }

  /** Hash lines up to and including the next empty line. */
  List<Sha256Hash> hashesUntilBlank() throws LogFormatException {
    List<Sha256Hash> hashes = new ArrayList<>();
    for (String line = next(); !line.isEmpty(); line = next()) {
      if (hashes.size() == MerkleProofs.MAX_PROOF_HASHES) {
        throw new LogFormatException(
            "proof has more than " + MerkleProofs.MAX_PROOF_HASHES + " hashes");
      }
      hashes.add(
          Sha256Hash.parseBase64(line)
              .orElseThrow(() -> new LogFormatException("proof hash is not Base64 of 32 bytes")));
    }
    return hashes;
  }

  /** Everything not read yet. */
  String rest() {
    return text.substring(at);
  }

  static void appendHashes(StringBuilder out, List<Sha256Hash> hashes) {
    hashes.forEach(h -> out.append(h.base64()).append('\n'));
  }
}
