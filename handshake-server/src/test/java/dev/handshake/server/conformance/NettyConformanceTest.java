package dev.handshake.server.conformance;

import dev.handshake.conformance.*;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The whole HPP conformance suite (hpp.md §4), WebSocket included, against the Netty server. */
@DisplayName("HPP conformance: Netty server")
class NettyConformanceTest {
  static final HppTarget TARGET = new NettyTarget();

  @Nested
  class Action extends ActionConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Auth extends AuthConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Concurrency extends ConcurrencyConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Context extends ContextConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Create extends CreateConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Diff extends DiffConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Expiry extends ExpiryConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Extend extends ExtendConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Hooks extends HooksConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Limits extends LimitsConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class MalformedInput extends MalformedInputConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Notify extends NotifyConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class Prompt extends PromptConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class RateLimit extends RateLimitConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class WebSocket extends WebSocketConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }

  @Nested
  class WebSocketLifecycle extends WebSocketLifecycleConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }
  }
}
