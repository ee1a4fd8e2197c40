package dev.handshake.audit.log;

/** A tree size and the root hash of the log's first {@code size} leaves, read together. */
public record TreeHead(long size, Sha256Hash root) {
  public TreeHead {
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size " + size);
    }
  }
}
