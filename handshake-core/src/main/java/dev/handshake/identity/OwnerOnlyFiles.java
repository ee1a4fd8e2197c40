package dev.handshake.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Owner-only ({@code 0600}) files written in full under a temporary name and then put into place,
 * so no reader ever sees a half-written file. Created with those permissions (never widened and
 * narrowed afterwards). Key files are written with {@code writeNew}, which never replaces an
 * existing file; state files that are rewritten (the A2A peer registry) use {@link
 * #writeReplacing}.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Refuses a file that group or others may access at all: the seed is the identity.
   *
   * @throws KeyFileException reason {@code EXPOSED}
   */
  static void checkOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // Not a POSIX file system (Windows): nothing to check.
    }
    for (PosixFilePermission p : perms) {
      if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
        throw KeyFileException.exposed(
            file
                + " is open to group or others ("
                + PosixFilePermissions.toString(perms)
                + "); run chmod 600 "
                + file);
      }
    }
  }

  /**
   * Writes {@code bytes} to the new file {@code file}, owner-only.
   *
   * @throws FileAlreadyExistsException when {@code file} exists; it is left untouched
   */
  static void writeNew(Path file, byte[] bytes) throws IOException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "refusing to overwrite a key file");
    }
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path temp =
        absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      writeTemp(temp, bytes);
      linkIntoPlace(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes {@code bytes} to {@code file}, owner-only, atomically replacing any existing file: a
   * reader sees the old content or the new, never a mix, and a crash leaves the old file.
   */
  public static void writeReplacing(Path file, byte[] bytes) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path temp =
        absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      writeTemp(temp, bytes);
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeTemp(Path temp, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            temp,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            ownerOnlyAttribute(temp))) {
      channel.write(ByteBuffer.wrap(bytes));
      channel.force(true);
    }
  }

  /** Hard-links {@code temp} to {@code target}, which fails rather than replace a file. */
  private static void linkIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          target.toString(), null, "refusing to overwrite a key file");
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here (some network and FAT file systems): a move that refuses to replace.
      Files.move(temp, target);
    }
  }

  private static FileAttribute<?>[] ownerOnlyAttribute(Path file) {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }
}
