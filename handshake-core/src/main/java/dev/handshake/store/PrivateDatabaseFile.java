package dev.handshake.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes an embedded database file owner-only ({@code 0600}) before SQLite opens it.
 *
 * <p>SQLite creates a missing database with the process umask (usually {@code 0644}) and gives
 * its {@code -wal} and {@code -shm} files the database's own permissions, so creating the file
 * owner-only first keeps all three private: audit logs name every peer and grant the server saw.
 * An existing file that group or others could read is narrowed, with its companions.
 */
public final class PrivateDatabaseFile {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final String[] COMPANIONS = {"", "-wal", "-shm", "-journal"};

  private PrivateDatabaseFile() {}

  /** Creates {@code file} empty and owner-only when absent, or narrows it when it exists. */
  public static void prepare(Path file) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return; // Windows: ACLs are inherited from the folder.
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      return;
    } catch (FileAlreadyExistsException e) {
      // Narrowed below.
    }
    for (String suffix : COMPANIONS) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(f, OWNER_ONLY);
      }
    }
  }
}
