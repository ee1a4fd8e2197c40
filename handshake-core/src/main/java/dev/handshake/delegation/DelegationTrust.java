package dev.handshake.delegation;

import dev.handshake.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a receiver trusts, as an operator configures it: the agent registry ({@code agent_id →
 * public-key PEM}, trusthandoff.md §2.1) and the agent ids allowed to issue root capabilities (§3
 * item 5). The server ({@code serve --delegation-registry/--delegation-trust-anchor}) and the CLI
 * ({@code delegate verify --registry/--trust-anchor}) read the same file format: one JSON object,
 * each member an agent id and the PEM text its packets must carry.
 *
 * <pre>{@code
 * DelegationTrust trust = DelegationTrust.read(Optional.of(Path.of("agents.json")), Set.of(rootId));
 * HandoffReceiver r = new HandoffReceiver(HandoffConfig.defaults(), Set.of(me),
 *     trust.agentRegistry(), replay, trust.capabilityGate(clock), clock, trust.hasRegistry());
 * }</pre>
 *
 * @param registry agent id → PEM, compared with a packet's {@code public_key} as an exact string
 * @param trustAnchors root capability issuers; none means no capability is ever accepted
 */
public record DelegationTrust(Map<String, String> registry, Set<String> trustAnchors) {
  /** A registry file larger than this is refused before it is read. */
  public static final long MAX_REGISTRY_FILE = 4L << 20;

  public DelegationTrust {
    registry = Map.copyOf(registry);
    trustAnchors = Set.copyOf(trustAnchors);
  }

  /** No registry and no trust anchors: identities are derived ids, capabilities are refused. */
  public static DelegationTrust none() {
    return new DelegationTrust(Map.of(), Set.of());
  }

  /**
   * Reads the registry file (when given) and takes the anchors as they are.
   *
   * @throws IOException naming the file when it cannot be read or is not a registry (see {@link
   *     #parseRegistry})
   */
  public static DelegationTrust read(Optional<Path> registryFile, Collection<String> trustAnchors)
      throws IOException {
    for (String anchor : trustAnchors) {
      if (anchor.isBlank()) {
        throw new IOException("a trust anchor is blank");
      }
    }
    if (registryFile.isEmpty()) {
      return new DelegationTrust(Map.of(), Set.copyOf(trustAnchors));
    }
    Path file = registryFile.get();
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_REGISTRY_FILE + 1);
      if (bytes.length > MAX_REGISTRY_FILE) {
        throw new IOException(file + ": larger than " + MAX_REGISTRY_FILE + " bytes");
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text");
    }
    try {
      return new DelegationTrust(parseRegistry(text), Set.copyOf(trustAnchors));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /**
   * The registry in {@code json}: an object (duplicate ids refused) whose members are non-blank
   * agent ids mapped to Ed25519 SubjectPublicKeyInfo PEM text. A PEM that is not Ed25519 could
   * never match a packet that verifies, so it is refused here, at start-up, rather than silently
   * locking that agent out.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static Map<String, String> parseRegistry(String json) {
    JsonNode root;
    try {
      root = CanonicalJson.parse(json, 4);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "a registry is a JSON object {\"<agent id>\": \"<public key PEM>\", ...}");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().isBlank()) {
        throw new IllegalArgumentException("an agent id is blank");
      }
      if (!e.getValue().isString()) {
        throw new IllegalArgumentException("the entry of " + e.getKey() + " is not a PEM string");
      }
      String pem = e.getValue().stringValue();
      if (PublicKeyPem.parse(pem).isEmpty()) {
        throw new IllegalArgumentException(
            "the entry of " + e.getKey() + " is not an Ed25519 public-key PEM");
      }
      out.put(e.getKey(), pem);
    }
    return out;
  }

  public boolean hasRegistry() {
    return !registry.isEmpty();
  }

  /** A new {@link AgentRegistry} holding the registry's entries (nothing revoked). */
  public AgentRegistry agentRegistry() {
    AgentRegistry r = new AgentRegistry();
    registry.forEach(r::register);
    return r;
  }

  /**
   * Our capability step: a {@link CapabilityAuthority} with the default chain policy over the
   * registry ({@link IssuerKeys#registryOrDerived}) and the anchors, or {@link
   * CapabilityGate#NO_TRUST_ANCHORS} when there are none (then no token can verify anyway).
   */
  public CapabilityGate capabilityGate(Clock clock) {
    if (trustAnchors.isEmpty()) {
      return CapabilityGate.NO_TRUST_ANCHORS;
    }
    return new CapabilityAuthority(
        CapabilityChainPolicy.of(IssuerKeys.registryOrDerived(registry), trustAnchors, clock));
  }
}
