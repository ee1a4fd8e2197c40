package dev.handshake.audit.archive;

import dev.handshake.audit.ChainReport;
import dev.handshake.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of {@link ArchiveVerifier#verify}: the archive-level checks and the chain's {@link
 * ChainReport}. Valid only when both are: no archive problem and a valid chain.
 *
 * @param agentId the identity's agent id, else the one {@code metadata.json} names
 * @param checksumValid empty when {@code metadata.json} has no {@code archive_checksum}
 * @param indexValid empty when there is no {@code index.json} and none is required
 * @param headValid empty when there is no signed head; false also when it does not cover the
 *     archive (ours) or cannot be parsed
 * @param problems every archive-level failure, for people
 * @param entries every member name of the ZIP
 */
public record ArchiveReport(
    ArchiveVerifier.Profile profile,
    boolean encrypted,
    String agentId,
    ArchiveVerifier.IdentitySource identity,
    Optional<Boolean> checksumValid,
    Optional<Boolean> indexValid,
    boolean metadataValid,
    Optional<Boolean> headValid,
    List<String> problems,
    ChainReport chain,
    List<String> entries) {
  public ArchiveReport {
    problems = List.copyOf(problems);
    entries = List.copyOf(entries);
  }

  public boolean valid() {
    return problems.isEmpty() && chain.valid();
  }

  /**
   * {@code valid}, the archive checks ({@code null} for a check that did not apply), {@code
   * archive_errors}, {@code entries} and the chain's full report under {@code chain}.
   */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("valid", valid());
    node.put("profile", profile.label());
    node.put("encrypted", encrypted);
    node.put("agent_id", agentId);
    node.put("identity", identity.name().toLowerCase(Locale.ROOT));
    node.put("event_count", chain.events().size());
    optional(node, "archive_checksum_valid", checksumValid);
    optional(node, "index_valid", indexValid);
    node.put("metadata_valid", metadataValid);
    optional(node, "head_valid", headValid);
    ArrayNode errors = node.putArray("archive_errors");
    problems.forEach(errors::add);
    ArrayNode names = node.putArray("entries");
    entries.forEach(names::add);
    node.set("chain", chain.toJson());
    return node;
  }

  private static void optional(ObjectNode node, String field, Optional<Boolean> value) {
    value.ifPresentOrElse(v -> node.put(field, v), () -> node.putNull(field));
  }
}
