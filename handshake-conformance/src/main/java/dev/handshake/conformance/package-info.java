/**
 * The HPP conformance test kit: abstract JUnit 5 classes that check a server adapter against the
 * checklist of hpp.md §4 (items 1–32) plus our hardening rules of §3.
 *
 * <h2>Running it against an adapter</h2>
 *
 * Implement {@link dev.handshake.conformance.HppTarget} (start a server on 127.0.0.1 serving a
 * {@code SessionEngine} built from the given config, hooks and clock; call {@code engine.start()};
 * derive the prompt base URL from {@code Host}; call {@code WsConnection.onIdle()} after
 * {@code config.heartbeatInterval()} without inbound frames; select the {@code hpp} sub-protocol
 * when the browser offers it), then extend each {@code *Conformance} class, for instance as
 * {@code @Nested} inner classes of one test class:
 *
 * <pre>{@code
 * class MyServerConformanceTest {
 *   static final HppTarget TARGET = new MyTarget();
 *
 *   @Nested class Create extends CreateConformance {
 *     @Override protected HppTarget target() { return TARGET; }
 *   }
 *   // ... Auth, Context, Action, Notify, Diff, Extend, RateLimit, WebSocket,
 *   //     WebSocketLifecycle, Expiry, Hooks, MalformedInput, Limits, Prompt, Concurrency
 * }
 * }</pre>
 *
 * An adapter without a WebSocket overrides {@code supportsWebSocket()} to return false; its
 * WebSocket tests are then skipped.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li>Each test's display name starts with the checklist number and tag, e.g. {@code 4.12
 *       [both]}; extra tests cite the spec section instead ({@code §3.8 [both]}).
 *   <li>[both] tests run once per {@link dev.handshake.conformance.Profile} ({@link
 *       dev.handshake.conformance.BothProfiles}); [ours] use {@code SessionConfig.defaults()},
 *       [ref] {@code SessionConfig.reference()}, shrunk through the builder where a test needs
 *       short windows.
 *   <li>Servers run on a {@link dev.handshake.conformance.MutableClock} that stands still at
 *       {@link dev.handshake.conformance.HppConformanceBase#START}; tests move it to cross TTLs and
 *       rate-limit windows instead of sleeping. Only pacing (item 13) and heartbeats (item 24)
 *       take real time.
 *   <li>Browser calls ({@link dev.handshake.conformance.HppServer#create}, {@link
 *       dev.handshake.conformance.HppServer#notify}) send the server's own {@code Origin} and the
 *       {@code hs_bind} cookie from create, as a same-origin page does.
 * </ul>
 */
package dev.handshake.conformance;
