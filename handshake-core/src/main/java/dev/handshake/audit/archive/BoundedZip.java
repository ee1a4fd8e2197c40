package dev.handshake.audit.archive;

import dev.handshake.audit.archive.InvalidArchiveException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the members of a ZIP file within {@link ArchiveLimits}. The central directory is what
 * counts (as for Python's {@code zipfile}, so both readers see the same members); every name is
 * checked before anything is read: no absolute paths, backslashes, drive letters, {@code .} or
 * {@code ..} segments or control characters, and no two names equal ignoring case. Members are
 * inflated with a byte budget, whatever sizes the headers claim, and their CRC-32 is checked
 * (Java's {@code ZipFile} does not).
 */
final class BoundedZip {
  private static final int MAX_NAME_LENGTH = 255;

  private BoundedZip() {}

  /** Every entry name in directory order, and the bytes of those in {@code wanted} present. */
  record Members(List<String> names, Map<String, byte[]> read) {
    Optional<byte[]> get(String name) {
      return Optional.ofNullable(read.get(name));
    }
  }

  static Members read(Path file, Set<String> wanted, ArchiveLimits limits)
      throws IOException, InvalidArchiveException {
    long size = Files.size(file);
    if (size > limits.maxArchiveBytes()) {
      throw unsafe(
          "the archive is " + size + " bytes, over the limit of " + limits.maxArchiveBytes());
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8);
    } catch (ZipException e) {
      throw new InvalidArchiveException(
          Reason.MALFORMED, "not a ZIP archive (" + e.getMessage() + ")");
    }
    try (zip) {
      if (zip.size() > limits.maxEntries()) {
        throw unsafe(
            "the archive lists "
                + zip.size()
                + " entries, over the limit of "
                + limits.maxEntries());
      }
      List<ZipEntry> entries = entries(zip, limits);
      Map<String, byte[]> read = new LinkedHashMap<>();
      long budget = limits.maxTotalBytes();
      for (ZipEntry entry : entries) {
        if (!wanted.contains(entry.getName())) {
          continue;
        }
        if (entry.isDirectory()) {
          throw malformed(entry.getName() + " is a directory");
        }
        byte[] bytes = inflate(zip, entry, (int) Math.min(limits.maxEntryBytes(), budget));
        budget -= bytes.length;
        read.put(entry.getName(), bytes);
      }
      return new Members(entries.stream().map(ZipEntry::getName).toList(), read);
    } catch (ZipException e) {
      throw malformed("the ZIP structure is damaged (" + e.getMessage() + ")");
    }
  }

  private static List<ZipEntry> entries(ZipFile zip, ArchiveLimits limits)
      throws InvalidArchiveException {
    List<ZipEntry> entries = new ArrayList<>();
    Set<String> folded = new HashSet<>();
    Enumeration<? extends ZipEntry> all = zip.entries();
    while (all.hasMoreElements()) {
      ZipEntry entry = all.nextElement();
      if (entries.size() == limits.maxEntries()) {
        throw unsafe("the archive has more than " + limits.maxEntries() + " entries");
      }
      String name = entry.getName();
      Optional<String> problem = nameProblem(name);
      if (problem.isPresent()) {
        throw unsafe("entry name " + quoted(name) + " refused: " + problem.get());
      }
      if (!folded.add(name.toLowerCase(Locale.ROOT))) {
        throw unsafe("entry name " + quoted(name) + " appears more than once");
      }
      if (entry.getSize() > limits.maxEntryBytes()) {
        throw unsafe(
            "entry "
                + quoted(name)
                + " declares "
                + entry.getSize()
                + " uncompressed bytes, over the limit of "
                + limits.maxEntryBytes());
      }
      entries.add(entry);
    }
    return entries;
  }

  /** Why {@code name} may not appear in an archive, or empty when it may. */
  static Optional<String> nameProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of("empty name");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (name.startsWith("/")) {
      return Optional.of("absolute path");
    }
    if (name.indexOf('\\') >= 0) {
      return Optional.of("backslash in name");
    }
    if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
      return Optional.of("drive letter");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("control character in name");
    }
    String[] segments = name.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("path traversal (" + segment + " segment)");
      }
      // A directory entry ends with "/", which leaves one empty last segment.
      if (segment.isEmpty() && i != segments.length - 1) {
        return Optional.of("empty path segment");
      }
    }
    return Optional.empty();
  }

  private static byte[] inflate(ZipFile zip, ZipEntry entry, int budget)
      throws IOException, InvalidArchiveException {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(budget);
      if (in.read() != -1) {
        throw unsafe(
            "entry "
                + quoted(entry.getName())
                + " inflates beyond "
                + budget
                + " bytes (the per-member or total size limit)");
      }
    } catch (ZipException e) {
      throw malformed("entry " + quoted(entry.getName()) + " is damaged (" + e.getMessage() + ")");
    }
    if (entry.getSize() >= 0 && entry.getSize() != bytes.length) {
      throw malformed(
          "entry "
              + quoted(entry.getName())
              + " declares "
              + entry.getSize()
              + " bytes but holds "
              + bytes.length);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
      throw malformed("entry " + quoted(entry.getName()) + " fails its CRC-32 check");
    }
    return bytes;
  }

  private static String quoted(String name) {
    StringBuilder out = new StringBuilder("\"");
    name.codePoints()
        .limit(MAX_NAME_LENGTH)
        .forEach(c -> {
          if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        });
    return out.append('"').toString();
  }

  private static InvalidArchiveException unsafe(String message) {
    return new InvalidArchiveException(Reason.UNSAFE, message);
  }

  private static InvalidArchiveException malformed(String message) {
    return new InvalidArchiveException(Reason.MALFORMED, message);
  }
}
