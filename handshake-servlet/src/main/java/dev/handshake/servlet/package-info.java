/**
 * The Jakarta Servlet 6 / WebSocket 2.1+ adapter of the Handshake Prompt Protocol (hpp.md §2.3,
 * §2.5): a thin translation between container objects and {@link
 * dev.handshake.session.http.HppHttpApi} / {@link dev.handshake.session.SessionEngine#connect}.
 * Applications call {@link dev.handshake.servlet.HandshakeServletInstaller#install}.
 */
@NullMarked
package dev.handshake.servlet;

import org.jspecify.annotations.NullMarked;
