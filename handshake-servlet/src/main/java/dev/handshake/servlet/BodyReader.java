package dev.handshake.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a request body without blocking a container thread, and never more than {@code limit}
 * bytes: once it holds {@code limit} bytes it stops reading and hands them over, so a body one
 * byte over the engine's maximum is enough for the engine to answer 413 (hpp.md §3 item 6).
 */
final class BodyReader implements ReadListener {
  private static final int FIRST_CHUNK = 8 * 1024;

  private final ServletInputStream in;
  private final int limit;
  private final Consumer<byte[]> onBody;
  private final Consumer<Throwable> onFailure;
  private byte[] buffer;
  private int size;
  private boolean finished;

  /**
   * @param declaredLength the request's Content-Length, or -1 when unknown
   */
  BodyReader(
      ServletInputStream in,
      int limit,
      long declaredLength,
      Consumer<byte[]> onBody,
      Consumer<Throwable> onFailure) {
    this.in = in;
    this.limit = limit;
    this.onBody = onBody;
    this.onFailure = onFailure;
    long first = declaredLength >= 0 ? declaredLength : FIRST_CHUNK;
    this.buffer = new byte[(int) Math.min(limit, Math.max(first, 1))];
  }

  @Override
  public void onDataAvailable() throws IOException {
    while (!finished && in.isReady() && !in.isFinished()) {
      if (size == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
      }
      int n = in.read(buffer, size, buffer.length - size);
      if (n < 0) {
        return; // onAllDataRead follows
      }
      size += n;
      if (size >= limit) {
        finish(); // the rest is never read: the container discards it or closes the connection
        return;
      }
    }
  }

  @Override
  public void onAllDataRead() {
    finish();
  }

  @Override
  public void onError(Throwable t) {
    if (!finished) {
      finished = true;
      onFailure.accept(t);
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      onBody.accept(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }
  }

  /** The blocking equivalent, for a request that cannot go asynchronous. */
  static byte[] readBlocking(ServletInputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }
}
