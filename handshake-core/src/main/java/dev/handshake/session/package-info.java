/**
 * Sessions: the Handshake Prompt Protocol (hpp.md). A browser creates a session, hands its id and
 * token to an agent in a pasted prompt, the agent reads and writes state over HTTP and the person
 * watches over WebSocket. {@link dev.handshake.session.SessionEngine} is the transport-free engine;
 * {@link dev.handshake.session.http.HppHttpApi} maps HTTP requests onto it for every adapter.
 */
@NullMarked
package dev.handshake.session;

import org.jspecify.annotations.NullMarked;
