package dev.handshake.pairing.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator tokens of a data folder, re-read when {@value OperatorTokens#DEFAULT_FILE} or
 * {@value OperatorTokens#TOKENS_FILE} change, so that a rotation ({@code handshake operator
 * rotate}) or a removed token takes effect without a restart, and sockets opened with a token that
 * no longer works can be closed ({@code credentials_rotated}). A file that cannot be read keeps the
 * previous tokens and is logged. The admin token from the environment never changes.
 */
public final class ReloadingOperatorTokens implements AuthProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingOperatorTokens.class);
  private final Path dataDir;
  private final Optional<String> env;
  private final AtomicReference<OperatorTokens> current;
  private volatile List<Optional<FileTime>> stamps;

  public ReloadingOperatorTokens(Path dataDir, Optional<String> env, OperatorTokens initial) {
    this.dataDir = dataDir;
    this.env = env;
    this.current = new AtomicReference<>(initial);
    this.stamps = stamps();
  }

  private List<Optional<FileTime>> stamps() {
    return List.of(stamp(dataDir.resolve(OperatorTokens.DEFAULT_FILE)),
        stamp(dataDir.resolve(OperatorTokens.TOKENS_FILE)));
  }

  private static Optional<FileTime> stamp(Path file) {
    try {
      return Optional.of(Files.getLastModifiedTime(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Re-reads the files if either changed; true when the tokens were replaced. */
  public boolean reloadIfChanged() {
    List<Optional<FileTime>> now = stamps();
    if (Objects.equals(now, stamps)) {
      return false;
    }
    stamps = now;
    try {
      current.set(OperatorTokens.forExternalBind(dataDir, env));
      LOG.info("operator tokens reloaded from {}", dataDir);
      return true;
    } catch (IOException e) {
      LOG.warn("operator tokens not reloaded, keeping the previous ones: {}", e.getMessage());
      return false;
    }
  }

  public OperatorTokens current() {
    return current.get();
  }

  /** Whether {@code presented} still authenticates. */
  public boolean stillValid(String presented) {
    return current.get().verify(presented).isPresent();
  }

  @Override
  public AuthResult check(AuthRequest request) {
    return current.get().check(request);
  }
}
