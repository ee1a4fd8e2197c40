package dev.handshake.audit.tsa;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Sha256;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A verified RFC 3161 token for one AISS event, as kept in the sidecar {@link TimestampStore}:
 * the event hash it anchors, the TSA's {@code genTime} (never the local clock), the TSA's name
 * (subject of its signing certificate), where it came from, and the DER {@code TimeStampToken}
 * itself so it can be re-verified offline ({@link TimestampVerifier#verifyStored}).
 *
 * <p>Only {@link TimestampVerifier} and {@link TsaClient} create one from a token that passed;
 * {@link #of} exists for stores reading their rows back, which are re-verified before use.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3161#section-2.4.2">RFC 3161 §2.4.2</a>
 */
public final class TrustedTimestamp {
  private final String eventHash;
  private final Instant genTime;
  private final String tsa;
  private final String source;
  private final byte[] token;

  private TrustedTimestamp(
      String eventHash, Instant genTime, String tsa, String source, byte[] token) {
    this.eventHash = eventHash;
    this.genTime = genTime;
    this.tsa = tsa;
    this.source = source;
    this.token = token;
  }

  /**
   * A record as stored. Nothing is verified here; pass it to {@link
   * TimestampVerifier#verifyStored} before relying on it.
   *
   * @param source the TSA URL the token was requested from, or {@code reference:…} for a token
   *     read from a reference event
   * @param token DER encoding of the TimeStampToken (a CMS ContentInfo)
   */
  public static TrustedTimestamp of(
      String eventHash, Instant genTime, String tsa, String source, byte[] token) {
    EventImprint.requireEventHash(eventHash);
    if (token.length == 0) {
      throw new IllegalArgumentException("empty token");
    }
    return new TrustedTimestamp(
        eventHash, Objects.requireNonNull(genTime), tsa, source, token.clone());
  }

  /** Lowercase hex event hash the token anchors (its messageImprint, see {@link EventImprint}). */
  public String eventHash() {
    return eventHash;
  }

  /** The TSA's genTime from the token. */
  public Instant genTime() {
    return genTime;
  }

  /** RFC 2253 subject of the TSA's signing certificate. */
  public String tsa() {
    return tsa;
  }

  /** Where the token came from: the TSA URL, or {@code reference:…}. */
  public String source() {
    return source;
  }

  /** A copy of the DER TimeStampToken. */
  public byte[] token() {
    return token.clone();
  }

  /** Standard Base64 of {@link #token()}. */
  public String tokenBase64() {
    return Base64Text.encode(token);
  }

  /** Lowercase hex SHA-256 of the token bytes: tells two tokens for one event apart. */
  public String tokenHash() {
    return Sha256.hex(token);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedTimestamp other
        && eventHash.equals(other.eventHash)
        && genTime.equals(other.genTime)
        && tsa.equals(other.tsa)
        && source.equals(other.source)
        && Arrays.equals(token, other.token);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventHash, genTime, tsa, source, Arrays.hashCode(token));
  }

  @Override
  public String toString() {
    return "TrustedTimestamp[" + eventHash + " at " + genTime + " by " + tsa + ", "
        + token.length + " token bytes]";
  }
}
