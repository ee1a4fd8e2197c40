package dev.handshake.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** {@link BoundedZip} and {@link DeterministicZip}: bounded, unambiguous, reproducible archives. */
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
    assertThatThrownBy(() -> BoundedZip.read(zip, LIMITS)).hasMessageContaining("appears twice");
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
}
