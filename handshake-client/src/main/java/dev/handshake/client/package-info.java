/**
 * Java client SDK for the Handshake Prompt Protocol (hpp.md §2): {@link
 * dev.handshake.client.Prompt} parses a pasted handshake prompt, {@link
 * dev.handshake.client.AgentClient} is the agent side (context, action, diff, extend, end) and
 * {@link dev.handshake.client.BrowserClient} plays the browser (create, prompt, notify and the live
 * WebSocket) for tests and Java UIs. Only {@code java.net.http} and Jackson are used.
 *
 * <pre>{@code
 * Prompt prompt = Prompt.parse(pastedText);
 * try (AgentClient agent = AgentClient.create(prompt)) {
 *   JsonNode context = agent.context();
 *   agent.action(Map.of("name", "Alice"));
 * }
 * }</pre>
 */
@NullMarked
package dev.handshake.client;

import org.jspecify.annotations.NullMarked;
