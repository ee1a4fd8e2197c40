package dev.handshake.bench;

import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine without a network: context reads and 10-field actions per second on one session.
 * The ratio to the HTTP figures shows what the transport costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EngineBench {
  private SessionEngine engine;
  private String sid;
  private RequestInfo agent;
  private ObjectNode action;

  @Setup
  public void setup() {
    SessionConfig config = SessionConfig.builder().rateLimitPerMinute(0).createAllowNoOrigin(true).build();
    engine = SessionEngine.builder().config(config).build();
    RequestInfo creator = info(Optional.empty());
    var created = dev.handshake.json.Json.tryParse(engine.create(Fixtures.formFill10(), creator).body()).orElseThrow();
    sid = created.get("sessionId").stringValue();
    agent = info(Optional.of(created.get("token").stringValue()));
    action = Fixtures.action10(false);
  }

  private static RequestInfo info(Optional<String> token) {
    return RequestInfo.of(
        name -> name.equalsIgnoreCase("X-Handshake-Token") ? token.orElse(null) : null,
        null,
        "127.0.0.1");
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public byte[] context() {
    return engine.context(sid, agent).body();
  }

  @Benchmark
  public byte[] action10() {
    return engine.action(sid, action, agent).join().body();
  }
}
