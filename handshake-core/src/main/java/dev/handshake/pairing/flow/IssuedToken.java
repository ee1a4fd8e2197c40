package dev.handshake.pairing.flow;

import dev.handshake.crypto.BearerSecret;

/**
 * A bearer token just issued: the one moment its secret exists outside the holder. Only its HMAC
 * is stored.
 */
public record IssuedToken(BearerSecret token, PairedPrincipal principal) {}
