package dev.handshake.zip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads an untrusted ZIP archive entirely in memory, within {@link ZipLimits}, and only when it is
 * unambiguous. It is the reader for files handed over by other people (certification bundles,
 * archives), where {@link java.util.zip.ZipInputStream} and {@link java.util.zip.ZipFile} are the
 * wrong tools: the first trusts local headers that a second tool may never read, the second
 * extracts what the central directory says even when entries overlap.
 *
 * <p>The central directory is what counts (as for Python's {@code zipfile}), and every local
 * header, data descriptor and byte of the file must agree with it, so every reader sees the same
 * members. Accepted: stored and deflated members whose names the {@link ZipNames} policy accepts
 * ({@link ZipNames#FLAT} unless another is given), sizes in the headers or in data descriptors, an
 * optional archive comment. Refused with a {@link ZipFormatException} whose {@link
 * ZipFormatException.Kind} says what sort of refusal it is: ZIP64, encryption, multi-disk archives,
 * other compression methods, refused or duplicate names (ignoring case), folder entries holding
 * data, central-directory entries that disagree with their local headers or data descriptors,
 * entries that overlap or leave bytes unaccounted for (prepended stubs, hidden data), corrupt
 * deflate data, a CRC mismatch, and anything larger than the limits — checked on the declared sizes
 * (of every member) before anything is inflated and enforced while inflating, so a zip bomb costs
 * at most one member's limit of output.
 *
 * <pre>{@code
 * List<ZipMember> members = BoundedZip.read(path, new ZipLimits(64 << 20, 8, 32 << 20, 64 << 20));
 * ZipContents some = BoundedZip.read(path, limits, ZipNames.PATHS, Set.of("a.json")::contains);
 * }</pre>
 */
public final class BoundedZip {
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END_OF_DIRECTORY = 0x06054b50;
  private static final int DATA_DESCRIPTOR = 0x08074b50;
  private static final int END_SIZE = 22;
  private static final int CENTRAL_SIZE = 46;
  private static final int LOCAL_SIZE = 30;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  private static final int FLAG_ENCRYPTED = 1;
  private static final int FLAG_DESCRIPTOR = 1 << 3;
  private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
  private static final int FLAG_MASKED_HEADERS = 1 << 13;
  private static final long ZIP64_MARK = 0xFFFF_FFFFL;

  private final byte[] zip;
  private final ZipLimits limits;
  private final ZipNames policy;

  private BoundedZip(byte[] zip, ZipLimits limits, ZipNames policy) {
    this.zip = zip;
    this.limits = limits;
    this.policy = policy;
  }

  /** One central-directory entry and where its bytes are. */
  private record Entry(
      byte[] name,
      String text,
      int flags,
      int method,
      long crc,
      long compressedSize,
      long size,
      long offset) {}

  /**
   * Reads every member of the archive at {@code file}, whose names must be {@link ZipNames#FLAT}; a
   * file larger than the limit is refused before reading.
   */
  public static List<ZipMember> read(Path file, ZipLimits limits)
      throws IOException, ZipFormatException {
    return read(file, limits, ZipNames.FLAT, name -> true).members();
  }

  /**
   * Reads every member of the archive {@code zip}, whose names must be {@link ZipNames#FLAT};
   * members in the order they are stored.
   */
  public static List<ZipMember> read(byte[] zip, ZipLimits limits) throws ZipFormatException {
    return read(zip, limits, ZipNames.FLAT, name -> true).members();
  }

  /**
   * Checks the whole archive at {@code file} (names under {@code names}) and reads the members
   * whose names {@code wanted} accepts; a file larger than the limit is refused before reading.
   */
  public static ZipContents read(
      Path file, ZipLimits limits, ZipNames names, Predicate<String> wanted)
      throws IOException, ZipFormatException {
    long size = Files.size(file);
    if (size > limits.maxArchiveBytes()) {
      throw tooLarge(size, limits);
    }
    return read(Files.readAllBytes(file), limits, names, wanted);
  }

  /**
   * Checks the whole archive {@code zip} — directory, names, limits on every member's declared
   * size, every local header and data descriptor, that entries neither overlap nor leave bytes
   * unaccounted for — and reads (inflates, checks the CRC of) only the members whose names {@code
   * wanted} accepts; the others are listed, never inflated.
   */
  public static ZipContents read(
      byte[] zip, ZipLimits limits, ZipNames names, Predicate<String> wanted)
      throws ZipFormatException {
    if (zip.length > limits.maxArchiveBytes()) {
      throw tooLarge(zip.length, limits);
    }
    return new BoundedZip(zip, limits, names).contents(wanted);
  }

  private static ZipFormatException tooLarge(long size, ZipLimits limits) {
    return unsafe(
        "archive has " + size + " bytes, more than the limit of " + limits.maxArchiveBytes());
  }

  private ZipContents contents(Predicate<String> wanted) throws ZipFormatException {
    int end = endOfDirectory();
    if (u16(end + 4) != 0 || u16(end + 6) != 0 || u16(end + 8) != u16(end + 10)) {
      throw unsupported("multi-disk archives are not read");
    }
    int count = u16(end + 10);
    long directorySize = u32(end + 12);
    long directoryStart = u32(end + 16);
    if (count == 0xFFFF || directorySize == ZIP64_MARK || directoryStart == ZIP64_MARK) {
      throw unsupported("ZIP64 archives are not read");
    }
    if (count > limits.maxEntries()) {
      throw unsafe(
          "archive has " + count + " members, more than the limit of " + limits.maxEntries());
    }
    if (directoryStart + directorySize != end) {
      throw unsafe(
          "the central directory does not end where its end record is (bytes before the first"
              + " member or after the directory)");
    }
    List<Entry> entries = directory((int) directoryStart, (int) directorySize, count);
    List<String> names = entries.stream().map(Entry::text).toList();
    entries.sort(Comparator.comparingLong(Entry::offset));
    List<ZipMember> members = new ArrayList<>(count);
    long expectedOffset = 0;
    for (Entry entry : entries) {
      if (entry.offset() != expectedOffset) {
        throw unsafe(
            "member "
                + ZipNames.printable(entry.name())
                + (entry.offset() < expectedOffset
                    ? " overlaps the member before it"
                    : " is preceded by unaccounted bytes"));
      }
      expectedOffset = checkLocalHeader(entry, directoryStart);
      if (wanted.test(entry.text())) {
        members.add(new ZipMember(entry.text(), content(entry)));
      }
    }
    if (expectedOffset != directoryStart) {
      throw unsafe("unaccounted bytes between the last member and the directory");
    }
    return new ZipContents(names, members);
  }

  /** The offset of the end-of-central-directory record, which must end the file. */
  private int endOfDirectory() throws ZipFormatException {
    int lowest = Math.max(0, zip.length - END_SIZE - MAX_COMMENT);
    for (int at = zip.length - END_SIZE; at >= lowest; at--) {
      if (u32(at) == END_OF_DIRECTORY && at + END_SIZE + u16(at + 20) == zip.length) {
        return at;
      }
    }
    throw malformed("not a ZIP archive (no end-of-central-directory record)");
  }

  private List<Entry> directory(int start, int size, int count) throws ZipFormatException {
    List<Entry> entries = new ArrayList<>(count);
    Set<String> names = new HashSet<>();
    long declaredTotal = 0;
    int at = start;
    for (int i = 0; i < count; i++) {
      if (at + CENTRAL_SIZE > start + size || u32(at) != CENTRAL_HEADER) {
        throw malformed("central directory entry " + i + " is malformed");
      }
      int flags = u16(at + 8);
      int method = u16(at + 10);
      long crc = u32(at + 16);
      long compressed = u32(at + 20);
      long uncompressed = u32(at + 24);
      int nameLength = u16(at + 28);
      int next = at + CENTRAL_SIZE + nameLength + u16(at + 30) + u16(at + 32);
      if (next > start + size) {
        throw malformed("central directory entry " + i + " runs past the directory");
      }
      byte[] name = Arrays.copyOfRange(zip, at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
      Optional<String> problem = policy.problem(name, names);
      if (problem.isPresent()) {
        throw unsafe(problem.get());
      }
      String shown = ZipNames.printable(name);
      if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) != 0) {
        throw unsupported("member " + shown + " is encrypted");
      }
      if (method != STORED && method != DEFLATED) {
        throw unsupported(
            "member "
                + shown
                + " uses compression method "
                + method
                + " (only stored and deflated are read)");
      }
      if (compressed == ZIP64_MARK || uncompressed == ZIP64_MARK || u32(at + 42) == ZIP64_MARK) {
        throw unsupported("member " + shown + " needs ZIP64, which is not read");
      }
      if (u16(at + 34) != 0) {
        throw unsupported("member " + shown + " is on another disk");
      }
      if (uncompressed > limits.maxEntryBytes()) {
        throw unsafe(
            "member "
                + shown
                + " declares "
                + uncompressed
                + " uncompressed bytes, more than the limit of "
                + limits.maxEntryBytes());
      }
      if (method == STORED && compressed != uncompressed) {
        throw malformed("stored member " + shown + " has two different sizes");
      }
      String text = ZipNames.decode(name);
      if (ZipNames.isFolder(text) && uncompressed != 0) {
        throw unsafe("folder entry " + shown + " holds data");
      }
      declaredTotal += uncompressed;
      if (declaredTotal > limits.maxTotalBytes()) {
        throw unsafe(
            "members declare more than the limit of " + limits.maxTotalBytes() + " bytes in all");
      }
      entries.add(
          new Entry(name, text, flags, method, crc, compressed, uncompressed, u32(at + 42)));
      at = next;
    }
    if (at != start + size) {
      throw malformed("the central directory has bytes after its last entry");
    }
    return entries;
  }

  /**
   * Checks that the local header agrees with the directory and returns where the entry ends (after
   * its data and any data descriptor).
   */
  private long checkLocalHeader(Entry entry, long directoryStart) throws ZipFormatException {
    String shown = ZipNames.printable(entry.name());
    long at = entry.offset();
    if (at + LOCAL_SIZE > directoryStart || u32((int) at) != LOCAL_HEADER) {
      throw malformed("member " + shown + " has no local header where the directory says");
    }
    int local = (int) at;
    int flags = u16(local + 6);
    int nameLength = u16(local + 26);
    long dataStart = at + LOCAL_SIZE + nameLength + u16(local + 28);
    byte[] name =
        dataStart <= directoryStart
            ? Arrays.copyOfRange(zip, local + LOCAL_SIZE, local + LOCAL_SIZE + nameLength)
            : new byte[0];
    if (!Arrays.equals(name, entry.name())
        || u16(local + 8) != entry.method()
        || (flags & (FLAG_ENCRYPTED | FLAG_DESCRIPTOR))
            != (entry.flags() & (FLAG_ENCRYPTED | FLAG_DESCRIPTOR))) {
      throw unsafe("member " + shown + ": local header and directory disagree");
    }
    boolean descriptor = (flags & FLAG_DESCRIPTOR) != 0;
    long crc = u32(local + 14);
    long compressed = u32(local + 18);
    long size = u32(local + 22);
    boolean deferred = descriptor && crc == 0 && compressed == 0 && size == 0;
    if (!deferred && !matches(entry, crc, compressed, size)) {
      throw unsafe("member " + shown + ": local sizes or CRC differ from the directory");
    }
    long dataEnd = dataStart + entry.compressedSize();
    if (dataEnd > directoryStart) {
      throw unsafe("member " + shown + " runs into the central directory");
    }
    if (!descriptor) {
      return dataEnd;
    }
    int d = (int) dataEnd;
    int fields = d + 12 <= directoryStart && u32(d) == DATA_DESCRIPTOR ? d + 4 : d;
    if (fields + 12 > directoryStart
        || !matches(entry, u32(fields), u32(fields + 4), u32(fields + 8))) {
      throw unsafe("member " + shown + ": data descriptor differs from the directory");
    }
    return fields + 12L;
  }

  private static boolean matches(Entry entry, long crc, long compressed, long size) {
    return crc == entry.crc() && compressed == entry.compressedSize() && size == entry.size();
  }

  /** The member's bytes, inflated no further than its declared size, with the CRC checked. */
  private byte[] content(Entry entry) throws ZipFormatException {
    String shown = ZipNames.printable(entry.name());
    int local = (int) entry.offset();
    int dataStart = local + LOCAL_SIZE + u16(local + 26) + u16(local + 28);
    byte[] out;
    if (entry.method() == STORED) {
      out = Arrays.copyOfRange(zip, dataStart, dataStart + (int) entry.size());
    } else {
      out = inflate(entry, dataStart, shown);
    }
    CRC32 crc = new CRC32();
    crc.update(out);
    if (crc.getValue() != entry.crc()) {
      throw malformed("member " + shown + " fails its CRC check");
    }
    return out;
  }

  private byte[] inflate(Entry entry, int dataStart, String shown) throws ZipFormatException {
    byte[] out = new byte[(int) entry.size()];
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(zip, dataStart, (int) entry.compressedSize());
      int filled = 0;
      while (!inflater.finished()) {
        if (filled == out.length) {
          // Declared size reached but the stream goes on: one more byte proves it inflates larger.
          if (inflater.inflate(new byte[1]) > 0) {
            throw unsafe("member " + shown + " inflates beyond its declared size");
          }
          if (inflater.finished()) {
            break;
          }
        } else {
          filled += inflater.inflate(out, filled, out.length - filled);
        }
        if (!inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
          throw malformed("member " + shown + " is truncated or corrupt");
        }
      }
      if (filled != out.length || inflater.getBytesRead() != entry.compressedSize()) {
        throw malformed("member " + shown + " does not inflate to its declared size");
      }
      return out;
    } catch (DataFormatException e) {
      throw malformed("member " + shown + " is not valid deflate data");
    } finally {
      inflater.end();
    }
  }

  private int u16(int at) throws ZipFormatException {
    if (at < 0 || at + 2 > zip.length) {
      throw malformed("truncated ZIP archive");
    }
    return (zip[at] & 0xff) | (zip[at + 1] & 0xff) << 8;
  }

  private long u32(int at) throws ZipFormatException {
    return u16(at) | (long) u16(at + 2) << 16;
  }

  private static ZipFormatException malformed(String message) {
    return new ZipFormatException(ZipFormatException.Kind.MALFORMED, message);
  }

  private static ZipFormatException unsupported(String message) {
    return new ZipFormatException(ZipFormatException.Kind.UNSUPPORTED, message);
  }

  private static ZipFormatException unsafe(String message) {
    return new ZipFormatException(ZipFormatException.Kind.UNSAFE, message);
  }
}
