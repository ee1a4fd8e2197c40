package dev.handshake.conformance;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The HTTP half of the conformance suite against {@link JdkHttpServerTarget}; WebSocket tests are skipped. */
@DisplayName("HPP conformance: JDK HttpServer adapter (HTTP only)")
class JdkHttpServerConformanceTest {
  static final HppTarget TARGET = new JdkHttpServerTarget();

  @Nested
  class Create extends CreateConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Auth extends AuthConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Context extends ContextConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Action extends ActionConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Notify extends NotifyConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Diff extends DiffConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Extend extends ExtendConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class RateLimit extends RateLimitConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class WebSocket extends WebSocketConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class WebSocketLifecycle extends WebSocketLifecycleConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Expiry extends ExpiryConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Hooks extends HooksConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class MalformedInput extends MalformedInputConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Limits extends LimitsConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Prompt extends PromptConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }

  @Nested
  class Concurrency extends ConcurrencyConformance {
    @Override
    protected HppTarget target() {
      return TARGET;
    }

    @Override
    protected boolean supportsWebSocket() {
      return false;
    }
  }
}
