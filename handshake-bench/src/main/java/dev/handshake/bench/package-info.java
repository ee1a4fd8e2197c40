/** Benchmarks: JMH micro-benchmarks of the engines and load generators for the server. */
@NullMarked
package dev.handshake.bench;

import org.jspecify.annotations.NullMarked;
