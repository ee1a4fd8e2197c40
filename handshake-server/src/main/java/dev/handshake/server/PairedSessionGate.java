package dev.handshake.server;

import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.SessionBinding;
import dev.handshake.session.HookDenied;
import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionHooks;
import dev.handshake.session.SessionState;
import java.util.Optional;

/**
 * The Sessions capability's {@code onCreateSession} hook when sessions must belong to a paired
 * principal ({@code serve --require-paired-sessions}): the creating request must carry a bearer
 * token that {@code auth} accepts, and the new session is bound to that principal in {@code
 * binding}. Anything else is refused with 403 and a message that says what to send.
 */
public final class PairedSessionGate implements SessionHooks.CreateHook {
  static final String REFUSAL =
      "creating a session needs a paired principal: send Authorization: Bearer <access token>"
          + " (or DPoP <token> with a DPoP proof for a key-bound token; docs/PAIRING.md)";

  private final AuthProtocol auth;
  private final SessionBinding binding;

  public PairedSessionGate(AuthProtocol auth, SessionBinding binding) {
    this.auth = auth;
    this.binding = binding;
  }

  @Override
  public void onCreateSession(SessionState session, RequestInfo request) {
    AuthResult r = auth.check(new AuthRequest(request::header, Optional.empty(),
        request.clientAddress(), request.httpMethod().orElse(""), request.httpPath().orElse("")));
    if (!(r instanceof AuthResult.Authenticated a)) {
      throw new HookDenied(REFUSAL);
    }
    if (!binding.bind(session.id(), a.principal())) {
      throw new HookDenied("this session id is already bound");
    }
  }
}
