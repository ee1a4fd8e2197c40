package dev.handshake.json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;

/** Test vectors on the class path and, when checked out beside the repository, in ../shared. */
final class VectorFiles {
  private VectorFiles() {}

  static byte[] bytes(String resource) {
    try (InputStream in = VectorFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String resource) {
    return CanonicalJson.parse(bytes(resource));
  }

  /** The lines of a gzipped resource, such as a number corpus sample. */
  static List<String> gzipLines(String resource) {
    try (InputStream in = VectorFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return readLines(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> gzipLines(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readLines(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> readLines(InputStream gzipped) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(gzipped, 1 << 16), StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * The shared vectors directory {@code ../shared/vectors/<name>} beside the repository root, found
   * from the module directory (where Maven runs module tests) or from the root.
   */
  static Optional<Path> shared(String name) {
    for (String base : List.of("../../shared/vectors/", "../shared/vectors/")) {
      Path dir = Path.of(base + name);
      if (Files.isDirectory(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
