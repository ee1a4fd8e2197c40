package dev.handshake.zip;

import java.util.List;
import java.util.Optional;

/**
 * What {@link BoundedZip#read(byte[], ZipLimits, ZipNames, java.util.function.Predicate)} found:
 * every member's name, and the members that were asked for, read and checked.
 *
 * @param names every member name (folder entries included), in central-directory order
 * @param members the members read, in the order they are stored
 */
public record ZipContents(List<String> names, List<ZipMember> members) {
  public ZipContents {
    names = List.copyOf(names);
    members = List.copyOf(members);
  }

  /** The member read under exactly {@code name}, if it was asked for and is present. */
  public Optional<ZipMember> member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
