package dev.handshake.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A node's pairing pepper is not the one the other nodes sharing its pairing store hash with
 * ({@link SharedState#checkPepper}): it must not start, since every code and token the others
 * stored would be "not found" here. The message names the store and the file to copy; it holds
 * neither the pepper nor its fingerprint.
 */
public final class PepperMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  PepperMismatchException(String store, Path pepperFile) {
    super(pepperFile + " is not the pepper of the nodes already sharing pairing in " + store
        + ": codes and tokens they stored would not verify on this node. Copy "
        + ServerPairing.PEPPER_FILE + " from the data folder of the first node to " + pepperFile
        + " (owner-only, chmod 600) and start again; every node of a deployment needs the same "
        + ServerPairing.PEPPER_FILE + " (docs/STORES.md).");
  }
}
