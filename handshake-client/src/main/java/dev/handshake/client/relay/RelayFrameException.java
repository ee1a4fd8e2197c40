package dev.handshake.client.relay;

import java.io.IOException;

/**
 * A peer broke the keep-protocol framing (keep.md §2.3, §2.12 "Receiving"): a zero-length frame
 * or one longer than {@code 65536} bytes. The connection is closed when this is raised, because
 * the stream can no longer be trusted to be in step.
 */
public final class RelayFrameException extends IOException {
  private static final long serialVersionUID = 1L;

  RelayFrameException(String message) {
    super(message);
  }
}
