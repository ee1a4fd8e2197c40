package dev.handshake.servlet.conformance;

import dev.handshake.conformance.PromptConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link PromptConformance} against the servlet adapter in embedded Tomcat. */
class TomcatPromptConformanceTest extends PromptConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
