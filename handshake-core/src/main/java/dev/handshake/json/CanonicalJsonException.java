package dev.handshake.json;

/**
 * Input that cannot be parsed strictly, canonicalized or signed: malformed or ambiguous JSON
 * (duplicate keys, lone surrogates, non-finite numbers, excessive nesting) or a value outside the
 * subset we sign. The message says what is wrong and where ({@code $.payload.price}).
 */
public final class CanonicalJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CanonicalJsonException(String message) {
    super(message);
  }

  public CanonicalJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
