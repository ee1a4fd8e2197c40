package dev.handshake.servlet.conformance;

import dev.handshake.conformance.RateLimitConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link RateLimitConformance} against the servlet adapter in embedded Tomcat. */
class TomcatRateLimitConformanceTest extends RateLimitConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
