/**
 * The HTTP face of the Sessions engine, free of any server library: routing, body parsing and
 * the JSON error rules of hpp.md §2.2 and §3 item 8. Every adapter calls {@link
 * dev.handshake.session.http.HppHttpApi#handle}.
 */
@NullMarked
package dev.handshake.session.http;

import org.jspecify.annotations.NullMarked;
