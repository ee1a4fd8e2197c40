package dev.handshake.audit.tsa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A response body collected up to a bound: the download is cancelled as soon as it (or its
 * declared Content-Length) exceeds {@code max} bytes, so a hostile or broken TSA cannot make us
 * buffer an unbounded answer.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body was larger than allowed. */
  static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  private final int max;
  private final long declared;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.@Nullable Subscription subscription;

  BoundedBody(int max, long declaredLength) {
    this.max = max;
    this.declared = declaredLength;
  }

  static HttpResponse.BodyHandler<byte[]> handler(int max) {
    return info -> new BoundedBody(max, info.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > max) {
      tooLarge(s, "declared Content-Length " + declared);
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (buffer.size() + (long) b.remaining() > max) {
        Flow.Subscription s = subscription;
        if (s != null) {
          tooLarge(s, "more than " + max + " bytes received");
        }
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  private void tooLarge(Flow.Subscription s, String what) {
    s.cancel();
    result.completeExceptionally(
        new TooLarge("response larger than " + max + " bytes (" + what + ")"));
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
