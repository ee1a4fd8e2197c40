package dev.handshake.zip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes a ZIP archive whose bytes depend only on its members: in the given order, stored (not
 * compressed, so no compressor version can change the output), every time stamp 1980-01-01 00:00
 * (the first DOS date, as {@code zip -X} and reproducible builds use), no extra fields, comments or
 * data descriptors. Any ZIP tool extracts it; {@link BoundedZip} reads it back.
 *
 * <pre>{@code
 * byte[] zip = DeterministicZip.write(List.of(new ZipMember("a.json", bytes)));
 * }</pre>
 */
public final class DeterministicZip {
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END_OF_DIRECTORY = 0x06054b50;
  private static final int VERSION_MADE_BY = 20;
  private static final int VERSION_NEEDED_STORED = 10;
  private static final int DOS_TIME = 0;
  private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;

  private DeterministicZip() {}

  /**
   * The archive of {@code members}, in this order.
   *
   * @throws IllegalArgumentException for a name {@link ZipNames#FLAT} refuses, a duplicate name or
   *     more than the format holds without ZIP64
   */
  public static byte[] write(List<ZipMember> members) {
    if (members.size() >= 0xFFFF) {
      throw new IllegalArgumentException("too many members for a ZIP without ZIP64");
    }
    Set<String> seen = new HashSet<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Long> offsets = new ArrayList<>();
    List<Long> crcs = new ArrayList<>();
    for (ZipMember member : members) {
      byte[] name = member.name().getBytes(StandardCharsets.US_ASCII);
      Optional<String> problem =
          member.name().chars().allMatch(c -> c < 0x80)
              ? ZipNames.FLAT.problem(name, seen)
              : Optional.of("member name " + member.name() + " refused: not ASCII");
      if (problem.isPresent()) {
        throw new IllegalArgumentException(
            "cannot write member " + member.name() + ": " + problem.get());
      }
      byte[] bytes = member.bytes();
      CRC32 crc = new CRC32();
      crc.update(bytes);
      offsets.add((long) out.size());
      crcs.add(crc.getValue());
      writeInt(out, LOCAL_HEADER);
      writeShort(out, VERSION_NEEDED_STORED);
      writeEntryFields(out, crc.getValue(), bytes.length, name.length);
      writeShort(out, 0); // extra length
      out.writeBytes(name);
      out.writeBytes(bytes);
      checkSize(out.size());
    }
    long directoryStart = out.size();
    for (int i = 0; i < members.size(); i++) {
      ZipMember member = members.get(i);
      byte[] name = member.name().getBytes(StandardCharsets.US_ASCII);
      writeInt(out, CENTRAL_HEADER);
      writeShort(out, VERSION_MADE_BY);
      writeShort(out, VERSION_NEEDED_STORED);
      writeEntryFields(out, crcs.get(i), member.size(), name.length);
      writeShort(out, 0); // extra length
      writeShort(out, 0); // comment length
      writeShort(out, 0); // disk number
      writeShort(out, 0); // internal attributes
      writeInt(out, 0); // external attributes
      writeInt(out, offsets.get(i).intValue());
      out.writeBytes(name);
      checkSize(out.size());
    }
    long directorySize = out.size() - directoryStart;
    writeInt(out, END_OF_DIRECTORY);
    writeShort(out, 0); // this disk
    writeShort(out, 0); // disk with the directory
    writeShort(out, members.size());
    writeShort(out, members.size());
    writeInt(out, (int) directorySize);
    writeInt(out, (int) directoryStart);
    writeShort(out, 0); // comment length
    return out.toByteArray();
  }

  /** flags, method, time, date, CRC, both sizes and the name length: the same in both headers. */
  private static void writeEntryFields(
      ByteArrayOutputStream out, long crc, int size, int nameLength) {
    writeShort(out, 0); // flags
    writeShort(out, 0); // method: stored
    writeShort(out, DOS_TIME);
    writeShort(out, DOS_DATE_1980_01_01);
    writeInt(out, (int) crc);
    writeInt(out, size);
    writeInt(out, size);
    writeShort(out, nameLength);
  }

  private static void checkSize(long size) {
    if (size > ZipLimits.FORMAT_MAX) {
      throw new IllegalArgumentException("archive larger than a ZIP without ZIP64 holds");
    }
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    out.write(value & 0xff);
    out.write((value >>> 8) & 0xff);
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    writeShort(out, value & 0xffff);
    writeShort(out, (value >>> 16) & 0xffff);
  }
}
