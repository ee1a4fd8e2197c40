package dev.handshake.client;

/**
 * What {@code POST {prefix}/session} handed the browser (hpp.md §2.3.1): the session id, its token
 * and the paths the page needs. The token prints redacted.
 *
 * @param sessionId 32 lowercase hex characters
 * @param token the session token, shared by the browser's WebSocket and the agent
 * @param wsUrl the host-relative WebSocket path, e.g. {@code /ws/handshake/<sid>}
 * @param expiresIn the server's idle time-to-live in seconds
 */
public record CreatedSession(String sessionId, SessionToken token, String wsUrl, long expiresIn) {}
