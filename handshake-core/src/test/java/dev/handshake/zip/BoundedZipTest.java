package dev.handshake.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BoundedZip} and {@link DeterministicZip}: bounded, unambiguous, reproducible archives. The
 * {@code .pqz} reader's own cases (through {@code PqzArchive}, with its refusal reasons) are in
 * {@code audit/archive/PqzSafetyTest}.
 */
class BoundedZipTest {
  private static final ZipLimits LIMITS = new ZipLimits(1 << 20, 8, 64 << 10, 128 << 10);

  private static ZipMember member(String name, String text) {
    return new ZipMember(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** An archive written by the JDK (deflated, with data descriptors, extended time stamps). */
  private static byte[] jdkZip(String[] names, byte[][] contents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (int i = 0; i < names.length; i++) {
        out.putNextEntry(new ZipEntry(names[i]));
        out.write(contents[i]);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static int indexOf(byte[] haystack, int signature, int from) {
    for (int i = from; i + 4 <= haystack.length; i++) {
      int v =
          (haystack[i] & 0xff)
              | (haystack[i + 1] & 0xff) << 8
              | (haystack[i + 2] & 0xff) << 16
              | (haystack[i + 3] & 0xff) << 24;
      if (v == signature) {
        return i;
      }
    }
    throw new AssertionError("signature not found");
  }

  private static void putInt(byte[] b, int at, long value) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (value >>> (8 * i));
    }
  }

  private static void putShort(byte[] b, int at, int value) {
    b[at] = (byte) value;
    b[at + 1] = (byte) (value >>> 8);
  }

  private static ZipFormatException refused(byte[] zip, ZipLimits limits, ZipNames names) {
    try {
      BoundedZip.read(zip, limits, names, name -> true);
    } catch (ZipFormatException e) {
      return e;
    }
    throw new AssertionError("the archive was read");
  }

  private static ZipFormatException refused(byte[] zip) {
    return refused(zip, LIMITS, ZipNames.FLAT);
  }

  /** Replaces every occurrence of {@code from} by the same-length {@code to}. */
  private static void replaceAll(byte[] zip, String from, String to) {
    replaceAll(zip, from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8));
  }

  private static void replaceAll(byte[] zip, byte[] a, byte[] b) {
    int replaced = 0;
    for (int i = 0; i + a.length <= zip.length; i++) {
      if (Arrays.equals(zip, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, zip, i, b.length);
        replaced++;
      }
    }
    if (replaced == 0) {
      throw new IllegalStateException("no " + Arrays.toString(a) + " in the archive");
    }
  }

  /** {@code zip} with {@code count} bytes inserted at {@code at}. */
  private static byte[] insert(byte[] zip, int at, int count) {
    byte[] out = new byte[zip.length + count];
    System.arraycopy(zip, 0, out, 0, at);
    System.arraycopy(zip, at, out, at + count, zip.length - at);
    return out;
  }

  @Test
  void whatTheWriterWritesReadsBackInOrder() throws Exception {
    List<ZipMember> members =
        List.of(member("certificate.json", "{\"a\":1}\n"), member("audit.json", "{}"));
    assertThat(BoundedZip.read(DeterministicZip.write(members), LIMITS)).isEqualTo(members);
  }

  @Test
  void theSameMembersAlwaysGiveTheSameBytes() {
    List<ZipMember> members = List.of(member("a.json", "x"), member("b.json", "y"));
    assertThat(DeterministicZip.write(members))
        .isEqualTo(DeterministicZip.write(List.copyOf(members)));
  }

  @Test
  void theJdksOwnReaderExtractsWhatTheWriterWrites() throws Exception {
    byte[] zip = DeterministicZip.write(List.of(member("a.json", "hello")));
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry entry = in.getNextEntry();
      assertThat(entry.getName()).isEqualTo("a.json");
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(in.getNextEntry()).isNull();
    }
  }

  @Test
  void readsDeflatedMembersWithDataDescriptorsWrittenByTheJdk() throws Exception {
    byte[] big = "abc".repeat(5000).getBytes(StandardCharsets.US_ASCII);
    byte[] zip = jdkZip(new String[] {"x.txt", "y.txt"}, new byte[][] {big, new byte[0]});
    List<ZipMember> members = BoundedZip.read(zip, LIMITS);
    assertThat(members).extracting(ZipMember::name).containsExactly("x.txt", "y.txt");
    assertThat(members.get(0).bytes()).isEqualTo(big);
    assertThat(members.get(1).bytes()).isEmpty();
  }

  @Test
  void readsABundleWrittenByPythonsZipfile() throws Exception {
    byte[] zip;
    try (InputStream in =
        getClass().getResourceAsStream("/vectors/aiss-cert/tier-timestamp.piqrypt-certified")) {
      zip = in.readAllBytes();
    }
    assertThat(BoundedZip.read(zip, LIMITS))
        .extracting(ZipMember::name)
        .containsExactly(
            "SNIPPETS.txt", "audit.json", "badge.svg", "certificate.json", "tsa_token.tsr");
  }

  @Test
  void refusesAMemberDeclaredLargerThanTheLimitBeforeInflatingIt() throws Exception {
    byte[] zeros = new byte[200 << 10];
    byte[] zip = jdkZip(new String[] {"bomb"}, new byte[][] {zeros});
    assertThat(zip.length).as("the bomb is small").isLessThan(2048);
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS))
        .isInstanceOf(ZipFormatException.class)
        .hasMessageContaining("more than the limit");
  }

  @Test
  void refusesAMemberThatInflatesBeyondTheSizeItDeclares() throws Exception {
    byte[] zeros = new byte[200 << 10];
    byte[] zip = jdkZip(new String[] {"bomb"}, new byte[][] {zeros});
    // Make every header claim 1000 bytes: the declared size passes the limit, the data does not.
    int descriptor = indexOf(zip, 0x08074b50, 30);
    putInt(zip, descriptor + 12, 1000);
    int central = indexOf(zip, 0x02014b50, 0);
    putInt(zip, central + 24, 1000);
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS))
        .isInstanceOf(ZipFormatException.class)
        .hasMessageContaining("beyond its declared size");
  }

  @Test
  void refusesMoreMembersThanTheLimit() {
    List<ZipMember> many =
        java.util.stream.IntStream.range(0, 9).mapToObj(i -> member("m" + i, "x")).toList();
    assertThatThrownBy(() -> BoundedZip.read(DeterministicZip.write(many), LIMITS))
        .hasMessageContaining("9 members");
  }

  @Test
  void refusesMembersWithFolderOrTraversalNames() throws Exception {
    byte[] zip = jdkZip(new String[] {"../evil.json"}, new byte[][] {{1}});
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS))
        .hasMessageContaining("not a plain file name");
    assertThatThrownBy(() -> DeterministicZip.write(List.of(member("a/b.json", "x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesTwoMembersWhoseNamesDifferOnlyInCase() throws Exception {
    byte[] zip = jdkZip(new String[] {"audit.json", "AUDIT.json"}, new byte[][] {{1}, {2}});
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS))
        .hasMessageContaining("appears more than once");
  }

  @Test
  void refusesTwoMembersWithTheSameName() {
    // DeterministicZip refuses duplicates, so write a same-length name and rename it in place.
    byte[] zip =
        DeterministicZip.write(List.of(member("data.json", "[]"), member("data.jsoX", "x")));
    replaceAll(zip, "data.jsoX", "data.json");
    ZipFormatException e = refused(zip);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("\"data.json\" appears more than once");
  }

  @Test
  void refusesMembersThatTogetherDeclareMoreThanTheTotalLimit() throws Exception {
    byte[] part = new byte[50 << 10];
    byte[] zip = jdkZip(new String[] {"a", "b", "c"}, new byte[][] {part, part, part});
    ZipFormatException e = refused(zip);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("more than the limit of 131072 bytes in all");
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
        "del\u007f.txt",
        ""
      })
  void bothNamePoliciesRefuseTraversalAndUnsafeNames(String name) throws Exception {
    byte[] zip = jdkZip(new String[] {"ok.json", name}, new byte[][] {{1}, {2}});
    for (ZipNames policy : ZipNames.values()) {
      ZipFormatException e = refused(zip, LIMITS, policy);
      assertThat(e.kind()).as("%s", policy).isEqualTo(ZipFormatException.Kind.UNSAFE);
      assertThat(e).as("%s", policy).hasMessageContaining("refused");
    }
  }

  @Test
  void thePathPolicySaysWhyANameIsRefused() throws Exception {
    String[][] cases = {
      {"../evil.json", "path traversal (.. segment)"},
      {"./a", "path traversal (. segment)"},
      {"/etc/passwd", "absolute path"},
      {"C:evil.txt", "drive letter"},
      {"dir\\evil.txt", "backslash"},
      {"dir//evil.txt", "empty path segment"},
      {"bell\u0007.txt", "control character"},
      {"", "empty name"},
      {"a/".repeat(128), "longer than 255 characters"}
    };
    for (String[] c : cases) {
      byte[] zip = jdkZip(new String[] {c[0]}, new byte[][] {{}});
      assertThat(refused(zip, LIMITS, ZipNames.PATHS)).hasMessageContaining(c[1]);
    }
  }

  @Test
  void thePathPolicyAcceptsFoldersAndUtf8WhereTheFlatOneDoesNot() throws Exception {
    byte[] zip =
        jdkZip(
            new String[] {"a.json", "notes/", "notes/caf\u00e9.txt"},
            new byte[][] {{'1'}, {}, {'x'}});
    ZipContents contents = BoundedZip.read(zip, LIMITS, ZipNames.PATHS, name -> true);
    assertThat(contents.names()).containsExactly("a.json", "notes/", "notes/caf\u00e9.txt");
    assertThat(contents.member("notes/caf\u00e9.txt").orElseThrow().bytes()).containsExactly('x');
    assertThat(refused(zip, LIMITS, ZipNames.FLAT)).hasMessageContaining("not a plain file name");
  }

  @Test
  void thePathPolicyRefusesNamesThatAreNotUtf8() throws Exception {
    byte[] zip = jdkZip(new String[] {"a\u00e9.txt"}, new byte[][] {{'x'}});
    // é is C3 A9 in UTF-8; C3 followed by 'Z' is not UTF-8 (in both headers).
    replaceAll(zip, new byte[] {(byte) 0xc3, (byte) 0xa9}, new byte[] {(byte) 0xc3, 'Z'});
    ZipFormatException e = refused(zip, LIMITS, ZipNames.PATHS);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("\"a\\xc3Z.txt\" refused: not UTF-8");
  }

  @Test
  void refusesAFolderEntryThatHoldsData() throws Exception {
    byte[] zip = jdkZip(new String[] {"dir/"}, new byte[][] {{1, 2, 3}});
    ZipFormatException e = refused(zip, LIMITS, ZipNames.PATHS);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("folder entry \"dir/\" holds data");
  }

  @Test
  void readsOnlyTheWantedMembersButChecksTheWholeArchive() throws Exception {
    byte[] zip = DeterministicZip.write(List.of(member("a.json", "{}"), member("b.txt", "bee")));
    int b = indexOf(zip, 0x04034b50, 4);
    zip[b + 30 + "b.txt".length()] ^= 1; // b.txt's bytes no longer match its CRC
    // b.txt is not wanted, so never inflated: its broken CRC goes unnoticed.
    ZipContents contents = BoundedZip.read(zip, LIMITS, ZipNames.FLAT, Set.of("a.json")::contains);
    assertThat(contents.names()).containsExactly("a.json", "b.txt");
    assertThat(contents.members()).containsExactly(member("a.json", "{}"));
    assertThat(contents.member("b.txt")).isEmpty();
    assertThat(refused(zip)).hasMessageContaining("\"b.txt\" fails its CRC check");

    byte[] lying = DeterministicZip.write(List.of(member("a.json", "{}"), member("b.txt", "bee")));
    lying[indexOf(lying, 0x04034b50, 4) + 30] = 'c'; // b.txt's local name
    assertThatThrownBy(
            () -> BoundedZip.read(lying, LIMITS, ZipNames.FLAT, Set.of("a.json")::contains))
        .hasMessageContaining("\"b.txt\": local header and directory disagree");
  }

  @Test
  void namesComeInDirectoryOrderAndMembersInStoredOrder() throws Exception {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one"), member("b", "two")));
    int first = indexOf(zip, 0x02014b50, 0);
    int entry = 46 + 1;
    byte[] swapped = zip.clone();
    System.arraycopy(zip, first, swapped, first + entry, entry);
    System.arraycopy(zip, first + entry, swapped, first, entry);
    ZipContents contents = BoundedZip.read(swapped, LIMITS, ZipNames.FLAT, name -> true);
    assertThat(contents.names()).containsExactly("b", "a");
    assertThat(contents.members()).extracting(ZipMember::name).containsExactly("a", "b");
  }

  @Test
  void refusesTwoDirectoryEntriesPointingAtTheSameData() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one"), member("b", "two")));
    int second = indexOf(zip, 0x02014b50, indexOf(zip, 0x02014b50, 0) + 4);
    putInt(zip, second + 42, 0); // "b" now claims the bytes of "a"
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS)).hasMessageContaining("overlaps");
  }

  @Test
  void refusesBytesPrependedBeforeTheFirstMember() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    byte[] stub = new byte[zip.length + 16];
    System.arraycopy(zip, 0, stub, 16, zip.length);
    assertThatThrownBy(() -> BoundedZip.read(stub, LIMITS)).isInstanceOf(ZipFormatException.class);
  }

  @Test
  void refusesAMemberWhoseBytesFailTheCrc() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    zip[30 + 1] ^= 1; // first data byte of "a" (30-byte header, 1-byte name)
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS)).hasMessageContaining("CRC");
  }

  @Test
  void refusesALocalHeaderThatDisagreesWithTheDirectory() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    zip[30] = 'b'; // the local name
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS)).hasMessageContaining("disagree");
  }

  @Test
  void refusesEncryptedMembersAndUnknownCompression() {
    byte[] encrypted = DeterministicZip.write(List.of(member("a", "one")));
    int central = indexOf(encrypted, 0x02014b50, 0);
    putShort(encrypted, central + 8, 1);
    assertThatThrownBy(() -> BoundedZip.read(encrypted, LIMITS)).hasMessageContaining("encrypted");

    byte[] bzip2 = DeterministicZip.write(List.of(member("a", "one")));
    putShort(bzip2, indexOf(bzip2, 0x02014b50, 0) + 10, 12);
    assertThatThrownBy(() -> BoundedZip.read(bzip2, LIMITS)).hasMessageContaining("method 12");
  }

  @Test
  void refusesWhatIsNotAZipOrIsTruncated() {
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> BoundedZip.read(json, LIMITS)).hasMessageContaining("not a ZIP");
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    assertThatThrownBy(() -> BoundedZip.read(Arrays.copyOf(zip, zip.length - 3), LIMITS))
        .isInstanceOf(ZipFormatException.class);
  }

  @Test
  void refusesAnArchiveLargerThanTheLimit() {
    byte[] zip = DeterministicZip.write(List.of(new ZipMember("a", new byte[4096])));
    assertThatThrownBy(() -> BoundedZip.read(zip, new ZipLimits(1024, 8, 8192, 8192)))
        .hasMessageContaining("more than the limit");
  }

  @Test
  void theCrcOfEveryStoredMemberIsWritten() throws Exception {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    CRC32 crc = new CRC32();
    crc.update("one".getBytes(StandardCharsets.US_ASCII));
    int central = indexOf(zip, 0x02014b50, 0);
    long written =
        (zip[central + 16] & 0xffL)
            | (zip[central + 17] & 0xffL) << 8
            | (zip[central + 18] & 0xffL) << 16
            | (zip[central + 19] & 0xffL) << 24;
    assertThat(written).isEqualTo(crc.getValue());
  }

  @Test
  void refusesADataDescriptorThatDisagreesWithTheDirectory() throws Exception {
    byte[] zeros = new byte[200 << 10];
    byte[] zip = jdkZip(new String[] {"bomb"}, new byte[][] {zeros});
    // Only the directory lies (1000 bytes): refused before inflating, as ambiguous.
    putInt(zip, indexOf(zip, 0x02014b50, 0) + 24, 1000);
    ZipFormatException e = refused(zip);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("data descriptor differs from the directory");
  }

  @Test
  void refusesALocalCrcThatDisagreesWithTheDirectory() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    zip[14] ^= 1; // the local header's CRC
    ZipFormatException e = refused(zip);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("local sizes or CRC differ from the directory");
  }

  @Test
  void refusesAMemberWhoseDataRunsIntoTheDirectory() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    int central = indexOf(zip, 0x02014b50, 0);
    for (int at : new int[] {18, 22, central + 20, central + 24}) {
      putInt(zip, at, 100);
    }
    ZipFormatException e = refused(zip);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("runs into the central directory");
  }

  @Test
  void refusesBytesHiddenBetweenTheLastMemberAndTheDirectory() {
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    int directory = indexOf(zip, 0x02014b50, 0);
    byte[] gap = insert(zip, directory, 5);
    putInt(gap, gap.length - 22 + 16, directory + 5);
    ZipFormatException e = refused(gap);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e)
        .hasMessageContaining("unaccounted bytes between the last member and the directory");
  }

  @Test
  void refusesAStubPrependedWithOffsetsAdjustedToIt() {
    // What a self-extracting archive does: every offset counts the stub.
    byte[] zip = DeterministicZip.write(List.of(member("a", "one")));
    int directory = indexOf(zip, 0x02014b50, 0);
    byte[] stub = insert(zip, 0, 16);
    putInt(stub, directory + 16 + 42, 16);
    putInt(stub, stub.length - 22 + 16, directory + 16);
    ZipFormatException e = refused(stub);
    assertThat(e.kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    assertThat(e).hasMessageContaining("preceded by unaccounted bytes");
  }

  @Test
  void refusesZip64AndMultiDiskArchives() {
    byte[] zip64 = DeterministicZip.write(List.of(member("a", "one")));
    int end = zip64.length - 22;
    putShort(zip64, end + 8, 0xFFFF);
    putShort(zip64, end + 10, 0xFFFF);
    ZipFormatException archive = refused(zip64);
    assertThat(archive.kind()).isEqualTo(ZipFormatException.Kind.UNSUPPORTED);
    assertThat(archive).hasMessageContaining("ZIP64 archives are not read");

    byte[] member64 = DeterministicZip.write(List.of(member("a", "one")));
    putInt(member64, indexOf(member64, 0x02014b50, 0) + 20, 0xFFFF_FFFFL);
    ZipFormatException member = refused(member64);
    assertThat(member.kind()).isEqualTo(ZipFormatException.Kind.UNSUPPORTED);
    assertThat(member).hasMessageContaining("needs ZIP64");

    byte[] disks = DeterministicZip.write(List.of(member("a", "one")));
    putShort(disks, disks.length - 22 + 4, 1);
    ZipFormatException multi = refused(disks);
    assertThat(multi.kind()).isEqualTo(ZipFormatException.Kind.UNSUPPORTED);
    assertThat(multi).hasMessageContaining("multi-disk");
  }

  @Test
  void limitsAndOverlapsAreUnsafeWhileDamageIsMalformed() throws Exception {
    byte[] bomb = jdkZip(new String[] {"bomb"}, new byte[][] {new byte[200 << 10]});
    assertThat(refused(bomb).kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    byte[] overlap = DeterministicZip.write(List.of(member("a", "one"), member("b", "two")));
    putInt(overlap, indexOf(overlap, 0x02014b50, indexOf(overlap, 0x02014b50, 0) + 4) + 42, 0);
    assertThat(refused(overlap).kind()).isEqualTo(ZipFormatException.Kind.UNSAFE);
    byte[] crc = DeterministicZip.write(List.of(member("a", "one")));
    crc[31] ^= 1;
    assertThat(refused(crc).kind()).isEqualTo(ZipFormatException.Kind.MALFORMED);
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.US_ASCII);
    assertThat(refused(json).kind()).isEqualTo(ZipFormatException.Kind.MALFORMED);
  }
}
