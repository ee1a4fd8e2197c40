/**
 * JSON foundations shared by every capability: one configured mapper, Python-compatible
 * truthiness, strict parsing, RFC 8785 canonical JSON for what we sign ({@link
 * dev.handshake.json.CanonicalJson}) and the Python reference's byte forms for verifying its data
 * ({@link dev.handshake.json.PythonJson}).
 */
@NullMarked
package dev.handshake.json;

import org.jspecify.annotations.NullMarked;
