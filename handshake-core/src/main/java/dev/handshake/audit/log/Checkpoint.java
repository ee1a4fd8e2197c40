package dev.handshake.audit.log;

import java.util.List;

/**
 * A log's tree head as C2SP checkpoint text (c2sp.org/tlog-checkpoint): the origin line, the tree
 * size in decimal, the root hash in standard Base64, then optional extension lines, each ending in
 * a newline. It is the text of a {@link SignedNote}; signing turns it into a commitment.
 *
 * <pre>
 * handshake.example/audit
 * 3
 * 7i9q0uJ+Kq9CDHvuoj2dwV4LqR5kX1x8hF0sS3nKJ8k=
 * </pre>
 *
 * @param origin the log's unique name; by convention the log key's name, without spaces or '+'
 * @param size the number of leaves
 * @param rootHash the RFC 9162 root over those leaves
 * @param extensions opaque non-empty lines after the root, usually none (not auditable by monitors,
 *     so C2SP discourages them)
 */
public record Checkpoint(String origin, long size, Sha256Hash rootHash, List<String> extensions) {
  public Checkpoint {
    extensions = List.copyOf(extensions);
    if (origin.isEmpty() || !isLine(origin)) {
      throw new IllegalArgumentException("origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size " + size);
    }
    for (String line : extensions) {
      if (line.isEmpty() || !isLine(line)) {
        throw new IllegalArgumentException("extension lines must be non-empty single lines");
      }
    }
  }

  /** A checkpoint without extension lines. */
  public Checkpoint(String origin, long size, Sha256Hash rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /** The checkpoint at {@code head}. */
  public static Checkpoint of(String origin, TreeHead head) {
    return new Checkpoint(origin, head.size(), head.root());
  }

  /** The checkpoint as note text, every line ending in a newline. */
  public String text() {
    StringBuilder out =
        new StringBuilder(origin)
            .append('\n')
            .append(size)
            .append('\n')
            .append(rootHash.base64())
            .append('\n');
    extensions.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  /** Parses checkpoint note text (what {@link #text()} writes). */
  public static Checkpoint parse(String text) throws LogFormatException {
    if (!text.endsWith("\n")) {
      throw new LogFormatException("checkpoint text must end in a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new LogFormatException("a checkpoint has an origin, a size and a root hash line");
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        throw new LogFormatException("checkpoint lines must be non-empty");
      }
    }
    long size = parseDecimal(lines[1]);
    if (size < 0) {
      throw new LogFormatException("tree size must be a decimal without leading zeros");
    }
    Sha256Hash root =
        Sha256Hash.parseBase64(lines[2])
            .orElseThrow(() -> new LogFormatException("root hash must be Base64 of 32 bytes"));
    if (!isLine(lines[0])) {
      throw new LogFormatException("origin has control characters");
    }
    return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
  }

  /**
   * The checkpoint in a note whose text the caller knows to be a checkpoint (one its own log
   * signed); malformed text is a programming error. Does not verify any signature.
   *
   * @throws IllegalArgumentException if the note text is not a checkpoint
   */
  public static Checkpoint parseOrThrow(SignedNote note) {
    try {
      return parse(note.text());
    } catch (LogFormatException e) {
      throw new IllegalArgumentException("not a checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * A non-negative decimal without sign or leading zeros that fits a {@code long}, or -1. Shared
   * with the proof formats, whose index lines use the same rule.
   */
  static long parseDecimal(String digits) {
    if (digits.isEmpty()
        || digits.length() > 19
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isLine(String s) {
    return s.chars().noneMatch(c -> c < 0x20);
  }
}
