/**
 * Transport-free HTTP endpoints of delegation: {@code POST /delegation/verify} (a receiver's
 * decision for agents that cannot run one themselves) and {@code POST /delegation/decisions}
 * (signed receipts of decisions taken elsewhere), served by the Netty server and the servlet
 * adapter through {@link dev.handshake.delegation.http.DelegationHttpApi}.
 */
@NullMarked
package dev.handshake.delegation.http;

import org.jspecify.annotations.NullMarked;
