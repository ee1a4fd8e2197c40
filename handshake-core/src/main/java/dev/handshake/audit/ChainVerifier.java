package dev.handshake.audit;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Verifies AISS chains and reports every failure per event (aiss.md §2.4 and §3 item 5): identity
 * binding, required fields, signature (with the Base64/Base58 detection rule), genesis form,
 * linkage, non-decreasing timestamps, forks and nonce replays per agent, and signed heads.
 *
 * <p>Signatures are checked in parallel for long chains; everything that depends on order runs
 * afterwards in one pass. {@link VerifyOptions#reference()} reproduces the reference's report.
 *
 * <pre>{@code
 * ChainReport report = new ChainVerifier(VerifyOptions.ours()).verify(events, identity, head);
 * if (!report.valid()) report.errors().forEach(System.out::println);
 * }</pre>
 */
public final class ChainVerifier {
  private static final List<String> REQUIRED =
      List.of("version", "agent_id", "timestamp", "nonce", "payload", "previous_hash");
  private static final Set<String> VERSIONS = Set.of("AISS-1.0", "AISS-2.0");
  private static final String TRUSTED_TIMESTAMP = "trusted_timestamp";
  private static final String SIGNATURES = "signatures";
  private static final int PARALLEL_FROM = 128;
  private static final String SIGNATURE_FAILED = "Ed25519 signature verification failed";

  private final VerifyOptions options;

  public ChainVerifier(VerifyOptions options) {
    this.options = options;
  }

  /**
   * Verifies one agent's chain against its identity, as the reference does (every event against
   * the identity's key). {@code head}, when given, is the newest signed head the caller has seen.
   */
  public ChainReport verify(
      List<AuditEvent> events, IdentityDocument identity, Optional<ChainHead> head) {
    return run(events, e -> Optional.of(identity), List.of(identity), head.stream().toList());
  }

  /** Verifies a list that interleaves several agents' chains, each event against its agent's key. */
  public ChainReport verifyAgents(
      List<AuditEvent> events,
      Collection<IdentityDocument> identities,
      Collection<ChainHead> heads) {
    Map<String, IdentityDocument> byId = new HashMap<>();
    identities.forEach(i -> byId.put(i.agentId(), i));
    return run(events, e -> Optional.ofNullable(byId.get(e.agentId())), identities, heads);
  }

  private record Signature(
      String status, Optional<SignatureEncoding> encoding, List<String> notes, Set<String> links) {}

  private ChainReport run(
      List<AuditEvent> events,
      Function<AuditEvent, Optional<IdentityDocument>> identityOf,
      Collection<IdentityDocument> identities,
      Collection<ChainHead> heads) {
    int n = events.size();
    IntStream indexes = IntStream.range(0, n);
    Signature[] signatures = new Signature[n];
    (n >= PARALLEL_FROM ? indexes.parallel() : indexes)
        .forEach(i -> signatures[i] = checkSignature(events.get(i), identityOf));

    List<List<String>> problems = new ArrayList<>(n);
    List<List<String>> notes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      problems.add(new ArrayList<>());
      notes.add(new ArrayList<>(signatures[i].notes()));
    }
    Errors errors = new Errors(options.firstErrorPerCheck());
    EnumMap<SignatureEncoding, Integer> encodings = new EnumMap<>(SignatureEncoding.class);

    boolean bindingValid = true;
    for (IdentityDocument identity : identities) {
      if (!identity.bound()) {
        bindingValid = false;
        errors.binding(
            "Identity error: agent_id " + identity.agentId() + " is not derived from its public key",
            -1, problems);
      }
    }
    boolean structureValid = true;
    boolean signaturesValid = true;
    for (int i = 0; i < n; i++) {
      AuditEvent event = events.get(i);
      Signature sig = signatures[i];
      sig.encoding().ifPresent(e -> encodings.merge(e, 1, Integer::sum));
      if (!sig.status().equals("valid")) {
        signaturesValid = false;
        String detail =
            switch (sig.status()) {
              case "no-key" -> "no identity for agent_id " + event.agentId();
              case "undecodable" -> "signature is neither Base64 nor Base58 of 64 bytes";
              default -> SIGNATURE_FAILED;
            };
        errors.signature("Signature error: " + detail, i, problems);
      }
      for (String problem : structureProblems(event)) {
        structureValid = false;
        errors.structure("Structure error: " + problem, i, problems);
      }
      Optional<IdentityDocument> identity = identityOf.apply(event);
      if (identity.isPresent() && !event.agentId().equals(identity.get().agentId())) {
        bindingValid = false;
        errors.binding(
            "Agent binding error: event agent_id " + event.agentId()
                + " is not the signer's agent_id " + identity.get().agentId(),
            i, problems);
      }
    }

    Map<String, GenesisForm> genesisForms = new LinkedHashMap<>();
    boolean genesisValid = true;
    Map<String, Integer> previousInGroup = new HashMap<>();
    boolean chainValid = true;
    boolean timestampsValid = true;
    Map<String, List<Integer>> children = new LinkedHashMap<>();
    Set<String> nonces = new HashSet<>();
    List<String> replays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent event = events.get(i);
      Optional<IdentityDocument> identity = identityOf.apply(event);
      if (!genesisForms.containsKey(event.agentId()) && identity.isPresent()) {
        GenesisForm form = GenesisForm.of(event.previousHash(), identity.get().publicKey());
        genesisForms.put(event.agentId(), form);
        if (!genesisAccepted(form)) {
          genesisValid = false;
          errors.genesis(
              "Genesis error: first event of " + event.agentId() + " has previous_hash form "
                  + form.label() + ", expected " + expectedGenesis(),
              i, problems);
        } else if (form != GenesisForm.PUBLIC_KEY_HASH) {
          notes.get(i).add("genesis previous_hash form " + form.label());
        }
      }
      String group = options.perAgentOrder() ? event.agentId() : "";
      Integer previous = previousInGroup.put(group, i);
      if (previous != null) {
        Set<String> links = signatures[previous].links();
        String claimed = event.previousHash().orElse("");
        if (!links.contains(claimed)) {
          chainValid = false;
          errors.chain(
              "Chain error: Chain broken: event " + i + " previous_hash mismatch", i, problems);
        } else if (!claimed.equals(events.get(previous).hash())) {
          notes.get(i).add("previous_hash matches event " + previous + " without its unsigned "
              + TRUSTED_TIMESTAMP);
        }
        OptionalLong t = event.timestamp();
        OptionalLong before = events.get(previous).timestamp();
        if (t.isPresent() && before.isPresent() && t.getAsLong() < before.getAsLong()) {
          timestampsValid = false;
          errors.timestamp(
              "Timestamp error: Non-monotonic timestamps: event " + i + " (" + t.getAsLong()
                  + ") < event " + previous + " (" + before.getAsLong() + ")",
              i, problems);
        }
      }
      String previousHash = event.previousHash().orElse("");
      if (!previousHash.isEmpty()) {
        String key = options.scopeForksPerAgent() ? event.agentId() + '\n' + previousHash : previousHash;
        children.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
      if (!nonces.add(event.agentId() + '\n' + event.nonce())) {
        replays.add(event.nonce());
        errors.replay("Replay error: nonce " + event.nonce() + " repeated", i, problems);
      }
    }
    List<String> forks = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : children.entrySet()) {
      if (e.getValue().size() > 1) {
        String hash = e.getKey().substring(e.getKey().indexOf('\n') + 1);
        forks.add(hash);
        for (int child : e.getValue()) {
          errors.fork("Fork error: previous_hash " + hash + " has " + e.getValue().size()
              + " children", child, problems);
        }
      }
    }

    Optional<Boolean> headValid = Optional.empty();
    if (!heads.isEmpty()) {
      boolean allHeads = true;
      for (ChainHead head : heads) {
        Optional<String> problem = headProblem(head, events, identities);
        if (problem.isPresent()) {
          allHeads = false;
          errors.head("Head error: " + problem.get(), -1, problems);
        }
      }
      headValid = Optional.of(allHeads);
    }

    boolean valid =
        signaturesValid
            && chainValid
            && timestampsValid
            && forks.isEmpty()
            && replays.isEmpty()
            && (!options.agentBinding() || bindingValid)
            && (options.genesis() == VerifyOptions.GenesisRule.ANY || genesisValid)
            && (options.firstErrorPerCheck() || structureValid)
            && headValid.orElse(true);
    List<EventCheck> checks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      AuditEvent event = events.get(i);
      Signature sig = signatures[i];
      checks.add(
          new EventCheck(
              i, event.agentId(), event.eventType(), event.hash(), sig.status(), sig.encoding(),
              List.copyOf(problems.get(i)), List.copyOf(notes.get(i))));
    }
    return new ChainReport(
        valid, signaturesValid, chainValid, timestampsValid, List.copyOf(forks),
        List.copyOf(replays), errors.list(), bindingValid, genesisValid, structureValid,
        genesisForms, encodings, headValid, checks);
  }

  private boolean genesisAccepted(GenesisForm form) {
    return switch (options.genesis()) {
      case ANY -> true;
      case STRICT -> form == GenesisForm.PUBLIC_KEY_HASH;
      case ANY_REPORTED -> form != GenesisForm.OTHER;
    };
  }

  private String expectedGenesis() {
    return options.genesis() == VerifyOptions.GenesisRule.STRICT
        ? "sha256-public-key"
        : "one of sha256-public-key, zeros, null, literal-genesis";
  }

  private static List<String> structureProblems(AuditEvent event) {
    ObjectNode json = event.view();
    List<String> out = new ArrayList<>();
    for (String field : REQUIRED) {
      if (!json.has(field)) {
        out.add("missing field " + field);
      }
    }
    if (!json.has(AuditEvent.SIGNATURE) && !json.path(SIGNATURES).isObject()) {
      out.add("missing field signature");
    }
    if (json.has("version") && !VERSIONS.contains(event.version())) {
      out.add("unknown version " + abbreviate(json.path("version").toString()));
    }
    if (json.has("timestamp") && event.timestamp().isEmpty()) {
      out.add("timestamp is not an integer");
    }
    if (json.has("nonce") && event.nonce().isEmpty()) {
      out.add("nonce is empty or not a string");
    }
    if (json.has("payload") && !json.path("payload").isObject()) {
      out.add("payload is not an object");
    }
    if (!json.path("agent_id").isString()) {
      out.add("agent_id is not a string");
    }
    return out;
  }

  private static String abbreviate(String json) {
    return json.length() <= 40 ? json : json.substring(0, 40) + "…";
  }

  private Signature checkSignature(
      AuditEvent event, Function<AuditEvent, Optional<IdentityDocument>> identityOf) {
    ObjectNode json = event.view();
    Set<String> links = new HashSet<>();
    links.add(event.hash());
    boolean stamped = options.unsignedAnnotations() && json.has(TRUSTED_TIMESTAMP);
    if (stamped) {
      links.add(Sha256.hex(
          AuditEvent.canonicalWithout(json, AuditEvent.SIGNATURE, TRUSTED_TIMESTAMP)));
    }
    Optional<IdentityDocument> identity = identityOf.apply(event);
    if (identity.isEmpty()) {
      return new Signature("no-key", Optional.empty(), List.of(), links);
    }
    boolean aiss2 = !json.has(AuditEvent.SIGNATURE) && json.path(SIGNATURES).isObject();
    String text =
        aiss2
            ? json.path(SIGNATURES).path("classical").path("signature").stringValue("")
            : json.path(AuditEvent.SIGNATURE).stringValue("");
    Optional<SignatureEncoding.Decoded> decoded =
        options.detectEncodings()
            ? SignatureEncoding.detect(text, options.lenientBase64())
            : (options.lenientBase64() ? Base64Text.decodeLenient(text) : Base64Text.decodeStrict(text))
                .filter(b -> b.length == Ed25519PublicKey.SIGNATURE_SIZE)
                .map(b -> new SignatureEncoding.Decoded(SignatureEncoding.BASE64, b));
    if (decoded.isEmpty()) {
      return new Signature("undecodable", Optional.empty(), List.of(), links);
    }
    Ed25519PublicKey key = identity.get().publicKey();
    byte[] sig = decoded.get().bytes();
    List<String> notes = new ArrayList<>();
    boolean ok;
    if (aiss2) {
      ok = key.verify(AuditEvent.canonicalWithout(json, AuditEvent.SIGNATURE, SIGNATURES), sig);
      if (!ok && stamped) {
        ObjectNode restored = json.deepCopy();
        restored.set(TRUSTED_TIMESTAMP, pendingPlaceholder());
        ok = key.verify(AuditEvent.canonicalWithout(restored, AuditEvent.SIGNATURE, SIGNATURES), sig);
        if (ok) {
          notes.add(TRUSTED_TIMESTAMP + " replaced its signed pending placeholder (unsigned annotation)");
        }
      }
      notes.add("ML-DSA-65 signature not verified");
    } else {
      ok = key.verify(event.signingInput(), sig);
      if (!ok && stamped) {
        ok = key.verify(AuditEvent.canonicalWithout(json, AuditEvent.SIGNATURE, TRUSTED_TIMESTAMP), sig);
        if (ok) {
          notes.add(TRUSTED_TIMESTAMP + " was added after signing (unsigned annotation)");
        }
      }
    }
    if (!ok
        && event.eventType().equals("a2a_handshake")
        && json.path("payload").has("peer_name")) {
      notes.add("known reference defect: session handshake payload edited after signing (aiss.md §2.6)");
    }
    return new Signature(
        ok ? "valid" : "invalid", Optional.of(decoded.get().encoding()), notes, links);
  }

  private static JsonNode pendingPlaceholder() {
    ObjectNode p = Json.object();
    p.put("status", "pending");
    p.putNull("rfc3161_token");
    p.putNull("tsa_id");
    p.putNull("timestamp");
    return p;
  }

  private static Optional<String> headProblem(
      ChainHead head, List<AuditEvent> events, Collection<IdentityDocument> identities) {
    Optional<IdentityDocument> identity =
        identities.stream().filter(i -> i.agentId().equals(head.agentId())).findFirst();
    if (identity.isEmpty() || !AgentIds.isAissIdOf(head.agentId(), identity.get().publicKey())) {
      return Optional.of("no identity for head agent " + head.agentId());
    }
    if (!head.verify(identity.get().publicKey())) {
      return Optional.of("signed head of " + head.agentId() + " does not verify");
    }
    List<AuditEvent> own = events.stream().filter(e -> e.agentId().equals(head.agentId())).toList();
    if (own.size() < head.eventCount()) {
      return Optional.of(
          "chain of " + head.agentId() + " has " + own.size() + " events but its signed head covers "
              + head.eventCount() + " (truncated)");
    }
    if (head.eventCount() > 0
        && !own.get((int) head.eventCount() - 1).hash().equals(head.headEventHash())) {
      return Optional.of("event " + (head.eventCount() - 1) + " of " + head.agentId()
          + " is not the signed head " + head.headEventHash());
    }
    return Optional.empty();
  }

  /** Collects error strings in the reference's order of checks and wording. */
  private static final class Errors {
    private final boolean firstOnly;
    private final Map<String, List<String>> byCheck = new LinkedHashMap<>();

    Errors(boolean firstOnly) {
      this.firstOnly = firstOnly;
      for (String check :
          List.of("signature", "binding", "structure", "genesis", "chain", "timestamp", "fork",
              "replay", "head")) {
        byCheck.put(check, new ArrayList<>());
      }
    }

    void signature(String text, int index, List<List<String>> problems) {
      // The reference's signature error names no event.
      add("signature", text, firstOnly ? text : at(text, index), index, problems);
    }

    void binding(String text, int index, List<List<String>> problems) {
      add("binding", text, at(text, index), index, problems);
    }

    void structure(String text, int index, List<List<String>> problems) {
      add("structure", text, at(text, index), index, problems);
    }

    void genesis(String text, int index, List<List<String>> problems) {
      add("genesis", text, at(text, index), index, problems);
    }

    void chain(String text, int index, List<List<String>> problems) {
      add("chain", text, at(text, index), index, problems);
    }

    void timestamp(String text, int index, List<List<String>> problems) {
      add("timestamp", text, at(text, index), index, problems);
    }

    void fork(String text, int index, List<List<String>> problems) {
      add("fork", text, at(text, index), index, problems);
    }

    void replay(String text, int index, List<List<String>> problems) {
      add("replay", text, at(text, index), index, problems);
    }

    void head(String text, int index, List<List<String>> problems) {
      add("head", text, text, index, problems);
    }

    private static String at(String text, int index) {
      return index < 0 ? text : text + " (at event index " + index + ")";
    }

    private void add(
        String check, String plain, String reported, int index, List<List<String>> problems) {
      if (index >= 0) {
        problems.get(index).add(plain);
      }
      List<String> list = byCheck.get(check);
      if (!firstOnly || list.isEmpty()) {
        list.add(reported);
      }
    }

    List<String> list() {
      List<String> out = new ArrayList<>();
      if (firstOnly) {
        // The reference reports signature, chain and timestamp errors only; forks and replays
        // appear in their own keys.
        for (String check : List.of("signature", "chain", "timestamp")) {
          out.addAll(byCheck.get(check));
        }
        return List.copyOf(out);
      }
      byCheck.values().forEach(out::addAll);
      return List.copyOf(out);
    }
  }
}
