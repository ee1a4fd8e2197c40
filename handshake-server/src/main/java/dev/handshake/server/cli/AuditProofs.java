package dev.handshake.server.cli;

import dev.handshake.audit.log.LogVerification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;

/** What the transparency-log verbs share: fetching from a server, reading args, reporting. */
final class AuditProofs {
  static final int EXIT_INVALID = 1;
  static final int EXIT_INPUT = 2;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private AuditProofs() {}

  /** {@code text}, or the contents of the file when it starts with {@code @}. */
  static String readArg(String text) throws IOException {
    return text.startsWith("@")
        ? Files.readString(Path.of(text.substring(1)), StandardCharsets.UTF_8)
        : text;
  }

  /** GETs {@code path} from {@code server}; a non-200 answer becomes an IOException with its body. */
  static byte[] get(String server, String path) throws IOException {
    URI uri;
    try {
      uri = URI.create(server.replaceAll("/+$", "") + path);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a server URL: " + server);
    }
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<byte[]> resp =
          client.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        throw new IOException(
            "GET " + uri + " answered " + resp.statusCode() + ": "
                + new String(resp.body(), StandardCharsets.UTF_8).strip());
      }
      return resp.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri);
    }
  }

  /** Prints the outcome of a proof check and returns its exit code. */
  static int report(CommandLine cmd, LogVerification result) {
    switch (result) {
      case LogVerification.Valid v -> {
        cmd.getOut().println(
            "valid: " + v.checkpoint().origin() + " size " + v.checkpoint().size()
                + (v.cosigners().isEmpty() ? "" : ", cosigned by " + String.join(", ", v.cosigners())));
        cmd.getOut().flush();
        return 0;
      }
      case LogVerification.Invalid i -> {
        cmd.getOut().println("INVALID: " + i.failure() + ": " + i.detail());
        cmd.getOut().flush();
        return EXIT_INVALID;
      }
    }
  }

  static int fail(CommandLine cmd, String verb, String message) {
    cmd.getErr().println("audit " + verb + ": " + message);
    cmd.getErr().flush();
    return EXIT_INPUT;
  }
}
