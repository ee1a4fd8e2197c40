/**
 * The pairing admin endpoints without a transport ({@link
 * dev.handshake.pairing.http.PairingHttpApi}); the Netty server and the servlet adapter route
 * {@code /v1/pairing/*} and PraisonAI's {@code /api/pairing/*} here.
 */
@NullMarked
package dev.handshake.pairing.http;

import org.jspecify.annotations.NullMarked;
