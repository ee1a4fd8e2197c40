package dev.handshake.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.archive.InvalidArchiveException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile ZIP files are refused before they cost memory or reach a reader (aiss.md §2.7: the
 * reference opens any ZIP with {@code zipfile} and reads members whole): ZIP bombs with honest and
 * with lying headers, too many entries, path-traversal and duplicate names, ambiguous members and
 * ZIP structures. The ZIP itself is read by {@link dev.handshake.zip.BoundedZip}, whose every check
 * is tested in {@code zip/BoundedZipTest}; these cases check the {@code .pqz} side: its limits, its
 * name policy and the {@link Reason} each refusal maps to.
 */
class PqzSafetyTest {
  private static final int MIB = 1 << 20;
  private static final ArchiveLimits SMALL = new ArchiveLimits(16L * MIB, 8, MIB, MIB + MIB / 2);

  @TempDir Path dir;

  private PqzArchive read(byte[] zip, ArchiveLimits limits) throws Exception {
    Path file = ArchiveFixtures.save(dir, "hostile" + System.nanoTime() + ".pqz", zip);
    return PqzArchive.read(file, Optional.empty(), limits);
  }

  private void assertRefused(byte[] zip, ArchiveLimits limits, Reason reason, String message) {
    assertThatThrownBy(() -> read(zip, limits))
        .isInstanceOfSatisfying(
            InvalidArchiveException.class,
            e -> {
              assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(message);
            });
  }

  /** Our genuine archive's members plus {@code extra}. */
  private static Map<String, byte[]> genuinePlus(String name, byte[] bytes) {
    Map<String, byte[]> members = ArchiveFixtures.unzip(ArchiveFixtures.ourPlainArchive());
    members.put(name, bytes);
    return members;
  }

  /** Two MiB of JSON whitespace around an empty array: compresses to a few KiB. */
  private static byte[] inflatingData() {
    byte[] data = new byte[2 * MIB];
    Arrays.fill(data, (byte) ' ');
    data[0] = '[';
    data[data.length - 1] = ']';
    return data;
  }

  @Test
  void theGenuineArchiveReadsWithinTheSmallLimits() throws Exception {
    assertThat(read(ArchiveFixtures.ourPlainArchive(), SMALL).events()).hasSize(4);
  }

  @Test
  void item10_aMemberDeclaringMoreThanTheLimitIsRefused() {
    byte[] bomb = ArchiveFixtures.zip(genuinePlus("data.json", inflatingData()));

    assertThat(bomb.length).as("compressed size").isLessThan(64 * 1024);
    assertRefused(bomb, SMALL, Reason.UNSAFE, "declares 2097152 uncompressed bytes");
  }

  @Test
  void item10_aZipBombWhoseHeadersLieIsStoppedWhileInflating() {
    byte[] bomb = ArchiveFixtures.zip(genuinePlus("data.json", inflatingData()));
    setCentralUncompressedSize(bomb, "data.json", 10);
    setDescriptorUncompressedSize(bomb, "data.json", 10);

    assertRefused(bomb, SMALL, Reason.UNSAFE, "inflates beyond");
  }

  @Test
  void item10_headersThatDisagreeAboutASizeAreRefusedBeforeInflating() {
    byte[] bomb = ArchiveFixtures.zip(genuinePlus("data.json", inflatingData()));
    setCentralUncompressedSize(bomb, "data.json", 10);

    assertRefused(bomb, SMALL, Reason.UNSAFE, "data descriptor differs from the directory");
  }

  @Test
  void item10_ambiguousZipStructuresAreUnsafeEvenInMembersNeverRead() {
    byte[] genuine = ArchiveFixtures.ourPlainArchive();
    byte[] stub = new byte[genuine.length + 16];
    System.arraycopy(genuine, 0, stub, 16, genuine.length);
    assertRefused(stub, ArchiveLimits.defaults(), Reason.UNSAFE, "central directory");

    // README.txt is never read, but its local header must still agree with the directory.
    byte[] lying = genuine.clone();
    int local = localHeader(lying, "README.txt");
    lying[local + 30] = 'r';
    assertRefused(
        lying,
        ArchiveLimits.defaults(),
        Reason.UNSAFE,
        "\"README.txt\": local header and directory disagree");
  }

  @Test
  void damagedAndUnsupportedZipsAreMalformed() {
    byte[] crc = ArchiveFixtures.ourPlainArchive();
    int central = centralEntry(crc, "metadata.json");
    int descriptor = descriptor(crc, "metadata.json");
    crc[central + 16] ^= 1;
    crc[descriptor + 4] ^= 1;
    assertRefused(crc, ArchiveLimits.defaults(), Reason.MALFORMED, "fails its CRC check");

    byte[] encrypted = ArchiveFixtures.ourPlainArchive();
    int entry = centralEntry(encrypted, "README.txt");
    encrypted[entry + 8] |= 1;
    encrypted[localHeader(encrypted, "README.txt") + 6] |= 1;
    assertRefused(encrypted, ArchiveLimits.defaults(), Reason.MALFORMED, "is encrypted");
  }

  @Test
  void item10_membersOverTheTotalBudgetAreRefused() {
    byte[] big = new byte[MIB - 1];
    Arrays.fill(big, (byte) ' ');
    big[0] = '[';
    big[big.length - 1] = ']';
    Map<String, byte[]> members = genuinePlus("data.json", big);
    members.put("index.json", big.clone());

    assertRefused(
        ArchiveFixtures.zip(members),
        SMALL,
        Reason.UNSAFE,
        "members declare more than the limit of 1572864 bytes in all");
  }

  @Test
  void item10_tooManyEntriesAreRefused() {
    Map<String, byte[]> members = ArchiveFixtures.unzip(ArchiveFixtures.ourPlainArchive());
    for (int i = 0; i < 5; i++) {
      members.put("extra-" + i + ".txt", new byte[] {'x'});
    }

    assertRefused(
        ArchiveFixtures.zip(members), SMALL, Reason.UNSAFE, "11 members, more than the limit of 8");
  }

  @Test
  void archiveLimitsMapOntoTheZipReadersLimits() {
    assertThat(ArchiveLimits.defaults().zipLimits())
        .isEqualTo(new dev.handshake.zip.ZipLimits(256L << 20, 64, 128 << 20, 256L << 20));
    assertThatThrownBy(() -> new ArchiveLimits(Long.MAX_VALUE, 8, MIB, MIB))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArchiveLimits(MIB, 0, MIB, MIB))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void item10_anArchiveOverTheFileSizeLimitIsNotOpened() {
    ArchiveLimits tiny = new ArchiveLimits(1024, 8, MIB, MIB);

    assertRefused(
        ArchiveFixtures.ourPlainArchive(), tiny, Reason.UNSAFE, "more than the limit of 1024");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../evil.json",
        "/etc/passwd",
        "scripts/../../evil.py",
        "./metadata.json",
        "C:evil.txt",
        "dir\\evil.txt",
        "dir//evil.txt",
        "bell\u0007.txt",
        ""
      })
  void item10_pathTraversalAndUnsafeNamesAreRefused(String name) {
    byte[] zip = ArchiveFixtures.zip(genuinePlus(name, new byte[] {'x'}));

    assertRefused(zip, ArchiveLimits.defaults(), Reason.UNSAFE, "refused");
  }

  @Test
  void item10_pathTraversalIsNamedAsSuch() {
    byte[] zip = ArchiveFixtures.zip(genuinePlus("../../evil.sh", new byte[] {'x'}));

    assertRefused(zip, ArchiveLimits.defaults(), Reason.UNSAFE, "path traversal (.. segment)");
  }

  @Test
  void nestedNamesWithoutTraversalAreAllowedAndIgnored() throws Exception {
    Map<String, byte[]> members = genuinePlus("notes/", new byte[0]);
    members.put("notes/extra.txt", new byte[] {'x'});
    members.put("notes/caf\u00e9.txt", new byte[] {'y'});
    byte[] zip = ArchiveFixtures.zip(members);

    assertThat(read(zip, ArchiveLimits.defaults()).entryNames())
        .endsWith("notes/", "notes/extra.txt", "notes/caf\u00e9.txt");
  }

  @Test
  void item10_duplicateEntryNamesAreRefused() {
    // ZipOutputStream refuses duplicates, so write a same-length name and rename it in place.
    byte[] zip =
        ArchiveFixtures.zip(genuinePlus("data.jsoX", "[]".getBytes(StandardCharsets.US_ASCII)));
    replaceAll(zip, "data.jsoX", "data.json");

    assertRefused(zip, ArchiveLimits.defaults(), Reason.UNSAFE, "appears more than once");
  }

  @Test
  void item10_namesEqualIgnoringCaseAreRefused() {
    byte[] zip = ArchiveFixtures.zip(genuinePlus("METADATA.JSON", new byte[] {'{', '}'}));

    assertRefused(zip, ArchiveLimits.defaults(), Reason.UNSAFE, "appears more than once");
  }

  @Test
  void anArchiveWithBothDataMembersIsRefusedAsAmbiguous() {
    byte[] zip = ArchiveFixtures.zip(genuinePlus("data.enc", new byte[100]));

    assertRefused(zip, ArchiveLimits.defaults(), Reason.UNSAFE, "both data.json and data.enc");
  }

  @Test
  void filesThatAreNotArchivesAreMalformed() {
    assertRefused(
        "{\"spec\":\"AISS-1.0-AUDIT\"}".getBytes(StandardCharsets.US_ASCII),
        ArchiveLimits.defaults(),
        Reason.MALFORMED,
        "not a ZIP archive");
    Map<String, byte[]> noMetadata = ArchiveFixtures.unzip(ArchiveFixtures.ourPlainArchive());
    noMetadata.remove("metadata.json");
    assertRefused(
        ArchiveFixtures.zip(noMetadata),
        ArchiveLimits.defaults(),
        Reason.MALFORMED,
        "missing metadata.json");
    assertRefused(
        ArchiveFixtures.zip(
            genuinePlus("data.json", "[{\"a\":1,\"a\":2}]".getBytes(StandardCharsets.US_ASCII))),
        ArchiveLimits.defaults(),
        Reason.MALFORMED,
        "data.json is not valid JSON");
    Map<String, byte[]> scalarEvents =
        new LinkedHashMap<>(genuinePlus("data.json", "[1]".getBytes(StandardCharsets.US_ASCII)));
    assertRefused(
        ArchiveFixtures.zip(scalarEvents),
        ArchiveLimits.defaults(),
        Reason.MALFORMED,
        "element 0 is not a JSON object");
  }

  /** Sets the uncompressed size that the central directory states for {@code name}. */
  private static void setCentralUncompressedSize(byte[] zip, String name, int size) {
    ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(centralEntry(zip, name) + 24, size);
  }

  /** Where the data descriptor of {@code name} (a JDK-written, deflated member) starts. */
  private static int descriptor(byte[] zip, String name) {
    ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int central = centralEntry(zip, name);
    int local = localHeader(zip, name);
    int data = local + 30 + buffer.getShort(local + 26) + buffer.getShort(local + 28);
    int at = data + buffer.getInt(central + 20);
    if (buffer.getInt(at) != 0x08074b50) {
      throw new IllegalStateException("no data descriptor after " + name);
    }
    return at;
  }

  private static void setDescriptorUncompressedSize(byte[] zip, String name, int size) {
    ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(descriptor(zip, name) + 12, size);
  }

  private static int centralEntry(byte[] zip, String name) {
    return header(zip, name, 0x02014b50, 46, 28);
  }

  private static int localHeader(byte[] zip, String name) {
    return header(zip, name, 0x04034b50, 30, 26);
  }

  /** The offset of the header with {@code signature} whose name is {@code name}. */
  private static int header(byte[] zip, String name, int signature, int size, int nameLength) {
    byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + size <= zip.length; i++) {
      if (buffer.getInt(i) == signature
          && buffer.getShort(i + nameLength) == wanted.length
          && Arrays.equals(zip, i + size, i + size + wanted.length, wanted, 0, wanted.length)) {
        return i;
      }
    }
    throw new IllegalStateException("no header for " + name);
  }

  private static void replaceAll(byte[] zip, String from, String to) {
    byte[] a = from.getBytes(StandardCharsets.US_ASCII);
    byte[] b = to.getBytes(StandardCharsets.US_ASCII);
    int replaced = 0;
    for (int i = 0; i + a.length <= zip.length; i++) {
      if (Arrays.equals(zip, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, zip, i, b.length);
        replaced++;
      }
    }
    if (replaced == 0) {
      throw new IllegalStateException("no " + from + " in the archive");
    }
  }
}
