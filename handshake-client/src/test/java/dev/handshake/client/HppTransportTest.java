package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Query encoding as the reference agent's {@code urllib.parse.quote} does it. */
class HppTransportTest {
  @Test
  void quotesLikePythonUrllibWithSlashSafe() {
    assertThat(HppTransport.quote("2026-06-23T10:22:00.5+08:00", "/"))
        .isEqualTo("2026-06-23T10%3A22%3A00.5%2B08%3A00");
    assertThat(HppTransport.quote("a b/c~é", "/")).isEqualTo("a%20b/c~%C3%A9");
  }

  @Test
  void quotesSlashesInPathSegments() {
    assertThat(HppTransport.quote("../x", "")).isEqualTo("..%2Fx");
  }
}
