package dev.handshake.zip;

import java.util.Arrays;

/**
 * One file of a ZIP archive: its name and its exact uncompressed bytes.
 *
 * @param name the member name as stored, accepted by the {@link ZipNames} policy it was read or is
 *     written under (a plain file name for {@link ZipNames#FLAT}, which {@link DeterministicZip}
 *     writes)
 */
public record ZipMember(String name, byte[] bytes) {
  public ZipMember {
    bytes = bytes.clone();
  }

  /** A copy of the member's bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZipMember other
        && name.equals(other.name)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "ZipMember[" + name + ", " + bytes.length + " bytes]";
  }
}
