package dev.handshake.session;

import tools.jackson.databind.JsonNode;

/**
 * One applied write in a session's change log (hpp.md §2.6). {@code seq} increases by one per
 * change within a session and is the diff cursor we add to the reference's timestamp cursor.
 */
public record Change(long seq, String key, JsonNode from, JsonNode to, String by, long atMicros) {}
