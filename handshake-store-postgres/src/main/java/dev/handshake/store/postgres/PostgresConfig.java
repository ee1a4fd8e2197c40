package dev.handshake.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the PostgreSQL database is and how hard to try reaching it: the server's {@code --db}
 * setting, parsed from {@code postgresql://user:password@host:port/database?sslmode=require} (also
 * {@code postgres://} and {@code jdbc:postgresql://host:port/database?user=…&password=…}).
 *
 * <p>Every wait is bounded, so a stopped or unreachable database makes a call fail with {@link
 * DatabaseUnavailableException} instead of hanging the request that made it:
 *
 * @param poolSize the most connections this node opens (default 10); callers beyond it wait up to
 *     {@code connectionTimeout} for one to come free
 * @param connectionTimeout how long a call waits for a connection, and a new connection for the
 *     server to answer (default 5 s; at least 250 ms)
 * @param socketTimeout how long one statement may wait for the server's answer before its
 *     connection is dropped (default 30 s) — a server that stops answering without closing the
 *     connection cannot hang a call
 * @param lockTimeout how long a statement waits for a row or advisory lock that another node holds
 *     (default 10 s; less than {@code socketTimeout})
 * @param driverProperties further pgjdbc connection properties from the URL's query ({@code
 *     sslmode}, {@code sslrootcert}, …)
 */
public record PostgresConfig(
    String host,
    int port,
    String database,
    String user,
    DatabasePassword password,
    Map<String, String> driverProperties,
    int poolSize,
    Duration connectionTimeout,
    Duration socketTimeout,
    Duration lockTimeout) {
  public static final int DEFAULT_PORT = 5432;
  public static final int DEFAULT_POOL_SIZE = 10;
  public static final int MAX_POOL_SIZE = 1_000;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  public PostgresConfig {
    if (host.isBlank()) {
      throw new IllegalArgumentException("the database URL names no host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("database port out of range: " + port);
    }
    if (database.isBlank() || user.isBlank()) {
      throw new IllegalArgumentException("the database URL needs a user and a database name");
    }
    if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "poolSize must be in 1.." + MAX_POOL_SIZE + ": " + poolSize);
    }
    if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "connectionTimeout must be at least 250 ms: " + connectionTimeout);
    }
    if (socketTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("socketTimeout must be at least 1 s: " + socketTimeout);
    }
    if (lockTimeout.isNegative()
        || lockTimeout.isZero()
        || lockTimeout.compareTo(socketTimeout) >= 0) {
      throw new IllegalArgumentException(
          "lockTimeout must be positive and below socketTimeout ("
              + socketTimeout
              + "): "
              + lockTimeout);
    }
    driverProperties = Map.copyOf(driverProperties);
  }

  /**
   * Parses a database URL with the default pool size and timeouts. User and password are
   * percent-decoded; query parameters other than {@code user} and {@code password} become driver
   * properties.
   *
   * @throws IllegalArgumentException when it is not a PostgreSQL URL (the message never repeats the
   *     password)
   */
  public static PostgresConfig parse(String url) {
    String rest;
    if (url.startsWith("jdbc:postgresql://")) {
      rest = url.substring("jdbc:".length());
    } else if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      rest = url;
    } else {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (want postgresql://user:password@host:port/database): "
              + redact(url));
    }
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "malformed database URL (percent-encode special characters in the password): "
              + redact(url));
    }
    String user = "";
    String password = "";
    String rawUserInfo = uri.getRawUserInfo();
    String rawAuthority = uri.getRawAuthority();
    if (uri.getHost() == null && rawAuthority != null && rawAuthority.lastIndexOf('@') >= 0) {
      // java.net.URI parses no host and no user for names it finds unusual ("db_1")
      rawUserInfo = rawAuthority.substring(0, rawAuthority.lastIndexOf('@'));
    }
    if (rawUserInfo != null) {
      int colon = rawUserInfo.indexOf(':');
      user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1));
    }
    Map<String, String> props = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (key) {
          case "user" -> user = value;
          case "password" -> password = value;
          default -> props.put(key, value);
        }
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty()) {
      database = user; // libpq's default
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    int port = uri.getPort();
    if (host.isEmpty() && uri.getRawAuthority() != null) {
      // java.net.URI gives no host for names it finds unusual ("db_1"): split the authority
      String authority = uri.getRawAuthority();
      String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 || hostPort.endsWith("]") ? hostPort : hostPort.substring(0, colon);
      port =
          colon < 0 || hostPort.endsWith("]") ? -1 : parsePort(hostPort.substring(colon + 1), url);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new PostgresConfig(
        host,
        port < 0 ? DEFAULT_PORT : port,
        database,
        user,
        DatabasePassword.of(password),
        props,
        DEFAULT_POOL_SIZE,
        DEFAULT_CONNECTION_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_LOCK_TIMEOUT);
  }

  public PostgresConfig withPoolSize(int value) {
    return new PostgresConfig(
        host,
        port,
        database,
        user,
        password,
        driverProperties,
        value,
        connectionTimeout,
        socketTimeout,
        lockTimeout);
  }

  public PostgresConfig withConnectionTimeout(Duration value) {
    return new PostgresConfig(
        host,
        port,
        database,
        user,
        password,
        driverProperties,
        poolSize,
        value,
        socketTimeout,
        lockTimeout);
  }

  public PostgresConfig withSocketTimeout(Duration value) {
    return new PostgresConfig(
        host,
        port,
        database,
        user,
        password,
        driverProperties,
        poolSize,
        connectionTimeout,
        value,
        lockTimeout);
  }

  public PostgresConfig withLockTimeout(Duration value) {
    return new PostgresConfig(
        host,
        port,
        database,
        user,
        password,
        driverProperties,
        poolSize,
        connectionTimeout,
        socketTimeout,
        value);
  }

  /** {@code jdbc:postgresql://host:port/database}, without credentials or properties. */
  public String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://"
        + h
        + ":"
        + port
        + "/"
        + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Everything but secrets: the password and any driver property naming a password or key. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    driverProperties.forEach((k, v) -> shown.put(k, secretProperty(k) ? "****" : v));
    return "PostgresConfig["
        + user
        + "@"
        + address()
        + "/"
        + database
        + ", password="
        + password
        + ", properties="
        + shown
        + ", poolSize="
        + poolSize
        + ", connectionTimeout="
        + connectionTimeout
        + ", socketTimeout="
        + socketTimeout
        + ", lockTimeout="
        + lockTimeout
        + "]";
  }

  private static boolean secretProperty(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("key") || k.contains("secret");
  }

  private static int parsePort(String text, String url) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in database URL: " + redact(url));
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL with its user-info and query dropped, so an error never echoes a password. */
  static String redact(String url) {
    String s = url;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q) + "?…";
    }
    int scheme = s.indexOf("://");
    int at = s.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      s = s.substring(0, scheme + 3) + "…@" + s.substring(at + 1);
    }
    return s;
  }
}
