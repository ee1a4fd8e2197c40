/**
 * Delegation: signed task hand-offs between agents, interoperable with TrustHandoff 0.2.3 and
 * 0.3.1 (trusthandoff.md), with authority that narrows at every hop.
 *
 * <p>{@link dev.handshake.delegation.SignedTaskPacket} is the reference packet with its exact
 * signed bytes; {@link dev.handshake.delegation.HandoffTime} keeps a datetime exactly as received.
 *
 * <p>Signed capabilities: {@link dev.handshake.delegation.DelegationCapability} (model and signed
 * bytes), {@link dev.handshake.delegation.CapabilityTokens}, {@link
 * dev.handshake.delegation.CapabilitySignatures}, {@link
 * dev.handshake.delegation.CapabilityChainVerifier} (ours) and {@link
 * dev.handshake.delegation.ReferenceCapabilityChain} (the reference's checks), {@link
 * dev.handshake.delegation.CapabilityDerivation}, {@link dev.handshake.delegation.Attenuation} and
 * {@link dev.handshake.delegation.ActionAuthorization}.
 *
 * <p>Execution attestations [0.3.1]: {@link dev.handshake.delegation.ExecutionAttestation} (model
 * and signed bytes), {@link dev.handshake.delegation.AttestationPayload}, {@link
 * dev.handshake.delegation.AttestationSigner}, {@link dev.handshake.delegation.AttestationVerifier}
 * and the node wrapper {@link dev.handshake.delegation.AttestingAdapter}; decision details are
 * sanitised by {@link dev.handshake.delegation.DecisionDetails}.
 */
@NullMarked
package dev.handshake.delegation;

import org.jspecify.annotations.NullMarked;
