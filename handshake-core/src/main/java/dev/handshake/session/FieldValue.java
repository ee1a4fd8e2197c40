package dev.handshake.session;

import tools.jackson.databind.JsonNode;

/** A form-fill field's current value, owner and time of the last write (epoch microseconds). */
public record FieldValue(JsonNode value, FieldOwner by, long atMicros) {}
