package dev.handshake.pairing.auth;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.crypto.SecretDigest;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operators' bearer tokens, each with scopes (pairing.md §3.2 rule 8): the admin token {@code
 * default}, generated on first start into {@value #DEFAULT_FILE} (owner-only, so the person who
 * runs the server can read it), and further scoped tokens in {@value #TOKENS_FILE}, kept only as
 * SHA-256 digests. Presented tokens are compared in constant time; none is ever logged.
 *
 * <p>A server that listens beyond loopback must not invent its secret: {@link
 * #forExternalBind} refuses to start without an existing token, or with a weak one (a denylist of
 * well-known placeholders, or fewer than {@value #MIN_LENGTH} characters).
 */
public final class OperatorTokens implements AuthProtocol {
  public static final String DEFAULT_FILE = "operator.token";
  public static final String TOKENS_FILE = "operator-tokens.json";
  public static final String DEFAULT_NAME = "default";
  public static final int MIN_LENGTH = 24;
  /** The environment variable that supplies the admin token instead of the file. */
  public static final String ENV = "HANDSHAKE_OPERATOR_TOKEN";
  private static final int TOKEN_BYTES = 32;
  private static final Set<String> WEAK = Set.of("change-me", "changeme", "secret", "password",
      "token", "admin", "test", "default", "$(openssl rand -hex 16)", "$(openssl rand -hex 32)",
      "your-token-here", "replace-me", "12345678", "letmein");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** One token: its name, scopes and digest. */
  public record Entry(String name, Set<String> scopes, SecretDigest digest) {
    public Entry {
      scopes = Set.copyOf(scopes);
    }
  }

  private final List<Entry> entries;

  private OperatorTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Tokens held in memory only (tests, embedding). */
  public static OperatorTokens of(List<Entry> entries) {
    return new OperatorTokens(entries);
  }

  /**
   * For a loopback server: the admin token from {@code env} ({@value #ENV}) or {@value
   * #DEFAULT_FILE}, generating the file (0600) on first start, plus the scoped tokens.
   */
  public static OperatorTokens forLoopback(Path dataDir, Optional<String> env, SecureRandom random)
      throws IOException {
    return load(dataDir, env, Optional.of(random));
  }

  /**
   * For a server bound beyond loopback: as {@link #forLoopback} but never generating, and refusing
   * a weak admin token.
   *
   * @throws IOException when there is no admin token or it is weak
   */
  public static OperatorTokens forExternalBind(Path dataDir, Optional<String> env) throws IOException {
    return load(dataDir, env, Optional.empty());
  }

  private static OperatorTokens load(Path dataDir, Optional<String> env, Optional<SecureRandom> random)
      throws IOException {
    String admin;
    Path file = dataDir.resolve(DEFAULT_FILE);
    if (env.filter(e -> !e.isBlank()).isPresent()) {
      admin = env.get().strip();
    } else if (Files.exists(file)) {
      requireOwnerOnly(file);
      admin = Files.readString(file, StandardCharsets.UTF_8).strip();
    } else if (random.isPresent()) {
      admin = BearerSecret.generate(random.get(), TOKEN_BYTES).reveal();
      writePrivate(file, admin + "\n");
    } else {
      throw new IOException("refusing to listen beyond loopback without an operator token: set "
          + ENV + " or create " + file + " (handshake operator init)");
    }
    Optional<String> weak = weakness(admin);
    if (weak.isPresent()) {
      throw new IOException("refusing the operator token: " + weak.get());
    }
    List<Entry> all = new ArrayList<>();
    all.add(new Entry(DEFAULT_NAME, Set.of(OperatorScope.ADMIN), SecretDigest.of(admin)));
    all.addAll(readScoped(dataDir.resolve(TOKENS_FILE)));
    return new OperatorTokens(all);
  }

  /** Why {@code token} is too weak to guard a server, if it is. */
  public static Optional<String> weakness(String token) {
    if (WEAK.contains(token.toLowerCase(Locale.ROOT))) {
      return Optional.of("it is a well-known placeholder");
    }
    if (token.length() < MIN_LENGTH) {
      return Optional.of("it is shorter than " + MIN_LENGTH + " characters");
    }
    return Optional.empty();
  }

  /**
   * Adds a scoped token to {@value #TOKENS_FILE} and returns it; only its digest is written.
   *
   * @throws IllegalArgumentException for an unknown scope or a name in use
   */
  public static BearerSecret addScoped(Path dataDir, String name, Set<String> scopes, SecureRandom random)
      throws IOException {
    if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.equals(DEFAULT_NAME)) {
      throw new IllegalArgumentException("a token name is 1-64 of A-Z a-z 0-9 . _ - and not 'default'");
    }
    for (String s : scopes) {
      if (!OperatorScope.ALL.contains(s)) {
        throw new IllegalArgumentException("unknown scope '" + s + "'; known: " + OperatorScope.ALL);
      }
    }
    Path file = dataDir.resolve(TOKENS_FILE);
    List<Entry> existing = new ArrayList<>(readScoped(file));
    if (existing.stream().anyMatch(e -> e.name().equals(name))) {
      throw new IllegalArgumentException("a token named '" + name + "' exists; remove it first");
    }
    BearerSecret token = BearerSecret.generate(random, TOKEN_BYTES);
    existing.add(new Entry(name, scopes, token.digest()));
    writeScoped(file, existing);
    return token;
  }

  /**
   * Replaces the admin token in {@value #DEFAULT_FILE} with a fresh one and returns it; a running
   * server picks it up within seconds and closes sockets opened with the old one.
   */
  public static BearerSecret rotateDefault(Path dataDir, SecureRandom random) throws IOException {
    BearerSecret token = BearerSecret.generate(random, TOKEN_BYTES);
    writePrivate(dataDir.resolve(DEFAULT_FILE), token.reveal() + "\n");
    return token;
  }

  /** Removes a scoped token; false when there was none of that name. */
  public static boolean removeScoped(Path dataDir, String name) throws IOException {
    Path file = dataDir.resolve(TOKENS_FILE);
    List<Entry> existing = new ArrayList<>(readScoped(file));
    boolean removed = existing.removeIf(e -> e.name().equals(name));
    if (removed) {
      writeScoped(file, existing);
    }
    return removed;
  }

  /** The scoped tokens' names and scopes (never their digests' use as credentials). */
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public AuthResult check(AuthRequest request) {
    return switch (BearerCredentials.read(request)) {
      case BearerCredentials.Read.Absent a -> AuthResult.NO_CREDENTIALS;
      case BearerCredentials.Read.Malformed m -> new AuthResult.InvalidRequest(m.description());
      case BearerCredentials.Read.Token t -> verify(t.value())
          .<AuthResult>map(AuthResult.Authenticated::new)
          .orElse(new AuthResult.InvalidToken("unknown operator token"));
    };
  }

  /** The operator a presented token belongs to; every entry is compared (constant time each). */
  public Optional<Principal> verify(String presented) {
    Entry match = null;
    for (Entry e : entries) {
      if (e.digest().matches(presented) && match == null) {
        match = e;
      }
    }
    return Optional.ofNullable(match)
        .map(e -> new Principal("operator:" + e.name(), "operator", e.scopes(), Map.of()));
  }

  private static List<Entry> readScoped(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    requireOwnerOnly(file);
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode t : root.path("tokens")) {
      Set<String> scopes = new LinkedHashSet<>();
      t.path("scopes").forEach(s -> scopes.add(s.stringValue()));
      String sha = t.path("sha256").stringValue("");
      if (!sha.matches("[0-9a-f]{64}") || t.path("name").stringValue("").isEmpty()) {
        throw new IOException(file + " has an entry without a name or a 64-hex sha256");
      }
      out.add(new Entry(t.path("name").stringValue(), scopes,
          SecretDigest.fromBytes(HexFormat.of().parseHex(sha))));
    }
    return out;
  }

  private static void writeScoped(Path file, List<Entry> entries) throws IOException {
    ObjectNode root = Json.object();
    ArrayNode tokens = root.putArray("tokens");
    for (Entry e : entries) {
      ObjectNode t = tokens.addObject();
      t.put("name", e.name());
      ArrayNode scopes = t.putArray("scopes");
      e.scopes().stream().sorted().forEach(scopes::add);
      t.put("sha256", HexFormat.of().formatHex(e.digest().toBytes()));
    }
    writePrivate(file, Json.pretty(root) + "\n");
  }

  private static void requireOwnerOnly(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new IOException(file + " is readable by others (" + PosixFilePermissions.toString(perms)
            + "); make it 0600 (chmod 600)");
      }
    } catch (UnsupportedOperationException notPosix) {
      // Windows: rely on the folder's ACL
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".operator", ".tmp",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
