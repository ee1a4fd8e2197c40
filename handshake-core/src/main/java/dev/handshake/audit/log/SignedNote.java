package dev.handshake.audit.log;

import dev.handshake.audit.log.NoteVerification.Reason;
import dev.handshake.audit.log.NoteVerification.VerifiedSignature;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A text signed by one or more keys (c2sp.org/signed-note): the text, ending in a newline, a blank
 * line, then one signature line per signer. Checkpoints are signed notes; witnesses add their
 * cosignature lines to the log's.
 *
 * <pre>
 * example.com/log
 * 3
 * A4ZpYr...=
 *
 * — example.com/log Az3grl...=
 * </pre>
 *
 * <p>The text means nothing until {@link #verify} has found a trusted key's valid signature on it.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** The spec requires accepting at least 16; a few more leave room for large witness sets. */
  public static final int MAX_SIGNATURES = 100;

  /** Far above any checkpoint; bounds the work an oversized note can cause. */
  public static final int MAX_CHARS = 1 << 20;

  public SignedNote {
    signatures = List.copyOf(signatures);
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must be non-empty and end in a newline");
    }
    if (hasForbiddenControl(text)) {
      throw new IllegalArgumentException(
          "note text has control characters other than newline or invalid UTF-16");
    }
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("a signed note has 1.." + MAX_SIGNATURES + " signatures");
    }
  }

  /** {@code text} signed by {@code signer}. */
  public static SignedNote sign(String text, NoteSigner signer) {
    return new SignedNote(text, List.of(signer.sign(text)));
  }

  /**
   * This note with {@code signer}'s signature line added, replacing an earlier line by the same key
   * (a witness re-cosigning gets a fresh timestamp, not a duplicate line).
   */
  public SignedNote withSignature(NoteSigner signer) {
    NoteSignature added = signer.sign(text);
    List<NoteSignature> lines = new ArrayList<>(signatures.size() + 1);
    for (NoteSignature s : signatures) {
      if (!(s.name().equals(added.name()) && s.keyId() == added.keyId())) {
        lines.add(s);
      }
    }
    lines.add(added);
    return new SignedNote(text, lines);
  }

  /** Parses UTF-8 bytes; invalid UTF-8 is malformed. */
  public static SignedNote parse(byte[] note) throws LogFormatException {
    if (note.length > 4 * MAX_CHARS) {
      throw new LogFormatException("note is too large");
    }
    try {
      return parse(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString());
    } catch (CharacterCodingException e) {
      throw new LogFormatException("note is not valid UTF-8");
    }
  }

  /** Parses a signed note; the text ends at the last blank line. */
  public static SignedNote parse(String note) throws LogFormatException {
    if (note.length() > MAX_CHARS) {
      throw new LogFormatException("note is too large");
    }
    if (hasForbiddenControl(note)) {
      throw new LogFormatException(
          "note has control characters other than newline, or unpaired surrogates");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new LogFormatException("note has no blank line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (block.isEmpty() || !block.endsWith("\n")) {
      throw new LogFormatException("note signatures must be newline-terminated lines");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    int start = 0;
    while (start < block.length()) {
      if (signatures.size() == MAX_SIGNATURES) {
        throw new LogFormatException("note has more than " + MAX_SIGNATURES + " signatures");
      }
      int end = block.indexOf('\n', start);
      signatures.add(NoteSignature.parseLine(block.substring(start, end)));
      start = end + 1;
    }
    return new SignedNote(text, signatures);
  }

  /** The note as text: the text, a blank line, the signature lines. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    signatures.forEach(s -> out.append(s.line()));
    return out.toString();
  }

  /**
   * Checks the signatures against {@code trusted} as c2sp.org/signed-note requires: lines whose key
   * name and key ID do not both match a trusted key are ignored; a matching line that fails to
   * verify rejects the whole note; at least one trusted signature must verify.
   */
  public NoteVerification verify(Collection<VerifierKey> trusted) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<VerifiedSignature> verified = new ArrayList<>();
    for (NoteSignature line : signatures) {
      Optional<VerifierKey> key =
          trusted.stream()
              .filter(k -> k.name().equals(line.name()) && k.keyId() == line.keyId())
              .findFirst();
      if (key.isEmpty()) {
        continue;
      }
      Optional<OptionalLong> result = key.get().verify(bytes, line.signatureBytes());
      if (result.isEmpty()) {
        return new NoteVerification.Rejected(
            Reason.BAD_SIGNATURE, "signature by " + key.get().text() + " does not verify");
      }
      if (verified.stream().noneMatch(v -> v.key().equals(key.get()))) {
        verified.add(new VerifiedSignature(key.get(), result.get()));
      }
    }
    if (verified.isEmpty()) {
      return new NoteVerification.Rejected(
          Reason.NO_TRUSTED_SIGNATURE, "no signature from a trusted key");
    }
    return new NoteVerification.Verified(text, verified);
  }

  /** Control characters other than newline, or unpaired surrogates (not encodable as UTF-8). */
  private static boolean hasForbiddenControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        return true;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return format();
  }
}
