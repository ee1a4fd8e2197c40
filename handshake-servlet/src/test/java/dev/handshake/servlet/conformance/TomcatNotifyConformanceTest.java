package dev.handshake.servlet.conformance;

import dev.handshake.conformance.NotifyConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link NotifyConformance} against the servlet adapter in embedded Tomcat. */
class TomcatNotifyConformanceTest extends NotifyConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
