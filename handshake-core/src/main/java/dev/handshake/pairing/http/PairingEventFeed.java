package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.Principal;
import dev.handshake.session.HppResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Live pairing events for operators over a WebSocket ({@value #PATH}), transport-free
 * (pairing.md §3.2 rule 8, §4 item 18). The upgrade request authenticates like the admin API
 * ({@code Authorization: Bearer <operator token>} with scope {@code read}); a browser's {@code
 * Origin} must be the server's own or in the allowlist, otherwise the socket is closed with
 * {@value #CLOSE_ORIGIN}; when the operator tokens change (rotation, removal) every socket whose
 * token no longer works is closed with {@value #CLOSE_ROTATED} {@code credentials_rotated}, as
 * PraisonAI does. Each event is one text frame, the JSON of {@code GET /v1/pairing/events}.
 */
public final class PairingEventFeed {
  public static final String PATH = "/v1/pairing/events/ws";
  public static final int CLOSE_ORIGIN = 4003;
  public static final int CLOSE_ROTATED = 4001;
  public static final int CLOSE_FULL = 4029;
  private static final int BATCH = 500;

  /** The socket side, as the adapter provides it. */
  public interface Peer {
    void send(String text);

    void close(int code, String reason);
  }

  /** What an upgrade request gets. */
  public sealed interface Admission {
    /** Not authenticated or not allowed: answer the upgrade request with this HTTP response. */
    record Refused(HppResponse response) implements Admission {}

    /** Upgrade, then close at once with this code (origin not allowed, too many sockets). */
    record CloseAfterUpgrade(int code, String reason) implements Admission {}

    /** Upgrade and {@link PairingEventFeed#subscribe} the socket. */
    record Admitted(Principal principal, String presentedToken) implements Admission {
      @Override
      public String toString() {
        return "Admitted[" + principal.id() + "]";
      }
    }
  }

  private record Subscriber(Peer peer, String presentedToken) {}

  private final PairingStore store;
  private final AuthProtocol operators;
  private final Set<String> allowedOrigins;
  private final int maxSockets;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private long cursor;

  /**
   * @param allowedOrigins browser origins allowed besides the server's own ({@code
   *     http://<Host>})
   * @param maxSockets open feeds at most; more are closed with {@value #CLOSE_FULL}
   */
  public PairingEventFeed(PairingStore store, AuthProtocol operators, Set<String> allowedOrigins,
      int maxSockets) {
    this.store = store;
    this.operators = operators;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.maxSockets = maxSockets;
    List<PairingEvent> last = List.of();
    long seen = 0;
    do {
      last = store.events(seen, BATCH);
      if (!last.isEmpty()) {
        seen = last.getLast().seq();
      }
    } while (last.size() == BATCH);
    this.cursor = seen;
  }

  /** Decides an upgrade request of {@value #PATH}. */
  public Admission admit(AuthRequest request) {
    AuthResult r = operators.check(request);
    if (!(r instanceof AuthResult.Authenticated a)) {
      return new Admission.Refused(PairingHttpApi.error(401, "unauthorized",
              "an operator bearer token is required")
          .withHeader("WWW-Authenticate", "Bearer realm=\"handshake\"")
          .withHeader("Cache-Control", "no-store"));
    }
    if (!a.principal().can(OperatorScope.READ)) {
      return new Admission.Refused(PairingHttpApi.error(403, "insufficient_scope",
          "this needs the 'read' scope"));
    }
    Optional<String> origin = request.header("Origin");
    Optional<String> own = request.header("Host").map(h -> "http://" + h);
    if (origin.isPresent() && !allowedOrigins.contains(origin.get())
        && !origin.equals(own) && !origin.equals(own.map(o -> "https" + o.substring(4)))) {
      return new Admission.CloseAfterUpgrade(CLOSE_ORIGIN, "origin not allowed");
    }
    if (subscribers.size() >= maxSockets) {
      return new Admission.CloseAfterUpgrade(CLOSE_FULL, "too many event sockets");
    }
    String token = request.header("Authorization").orElse("").strip();
    return new Admission.Admitted(a.principal(), token.substring(token.indexOf(' ') + 1).strip());
  }

  /** Adds an admitted socket; it receives every event from now on. */
  public void subscribe(Admission.Admitted admitted, Peer peer) {
    subscribers.add(new Subscriber(peer, admitted.presentedToken()));
  }

  public void unsubscribe(Peer peer) {
    subscribers.removeIf(s -> s.peer() == peer);
  }

  public int sockets() {
    return subscribers.size();
  }

  /**
   * Sends the events written since the last call (by this server or by the CLI) to every socket,
   * after closing the sockets whose token {@code stillValid} no longer accepts. The adapter calls
   * it on a timer.
   */
  public synchronized void pump(Predicate<String> stillValid) {
    for (Subscriber s : subscribers) {
      if (!stillValid.test(s.presentedToken())) {
        subscribers.remove(s);
        s.peer().close(CLOSE_ROTATED, "credentials_rotated");
      }
    }
    List<PairingEvent> batch;
    do {
      batch = store.events(cursor, BATCH);
      for (PairingEvent e : batch) {
        String text = Json.text(PairingJson.event(e));
        subscribers.forEach(s -> s.peer().send(text));
        cursor = e.seq();
      }
    } while (batch.size() == BATCH);
  }
}
