package dev.handshake.audit;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteAuditStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Child process of the crash test: stamps until killed, printing each acknowledged hash. */
public final class AuditCrashChild {
  static final Ed25519PrivateKey KEY =
      Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex("11".repeat(32)));

  private AuditCrashChild() {}

  static IdentityDocument identity() {
    return IdentityDocument.of(KEY.publicKey(), 0, Optional.empty());
  }

  public static void main(String[] args) throws Exception {
    SqliteAuditStore store = SqliteAuditStore.open(Path.of(args[0]));
    AgentChain chain = AgentChain.open(KEY, store, Clock.systemUTC());
    for (int i = 0; ; i++) {
      ObjectNode p = Json.object();
      p.put("event_type", "tick");
      p.put("i", i);
      AuditEvent e = chain.append(p);
      System.out.println("ack " + e.hash());
      System.out.flush();
    }
  }
}
