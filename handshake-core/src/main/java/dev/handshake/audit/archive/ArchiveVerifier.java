package dev.handshake.audit.archive;

import dev.handshake.audit.ChainHead;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.identity.IdentityDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Verifies a {@link PqzArchive} (aiss.md §3 item 10): the data member against {@code
 * archive_checksum}, {@code index.json} and {@code metadata.json} against the events, and the
 * events themselves with {@link ChainVerifier} — every signature against the identity, linkage,
 * timestamps, forks, nonces and the signed head.
 *
 * <p>Our archives ({@code metadata.exporter} {@code handshake/…}, profile {@link Profile#OURS})
 * must carry {@code identity.json}, {@code chain-head.json}, {@code index.json} and a checksum, and
 * the head must cover every archived event, so a dropped, edited or re-signed event is reported.
 * The reference's archives carry no key at all: their signatures can be checked only against an
 * identity the caller supplies ({@link Options#identity}), and until then every event is reported
 * {@code no-key} and the archive invalid. An identity supplied for an archive that has one pins it:
 * a different key is reported.
 */
public final class ArchiveVerifier {
  private ArchiveVerifier() {}

  /** Which rules apply: {@link VerifyOptions} for the chain, member requirements for ours. */
  public enum Profile {
    /** Our archives: {@link VerifyOptions#ours()} and every member of ours required. */
    OURS("ours", VerifyOptions.ours()),
    /** Anyone else's: {@link VerifyOptions#foreign()}; only the members present are checked. */
    FOREIGN("foreign", VerifyOptions.foreign()),
    /** The reference's own chain report ({@link VerifyOptions#reference()}). */
    REFERENCE("reference", VerifyOptions.reference());

    private final String label;
    private final VerifyOptions options;

    Profile(String label, VerifyOptions options) {
      this.label = label;
      this.options = options;
    }

    public String label() {
      return label;
    }

    public VerifyOptions options() {
      return options;
    }

    /** The profile named {@code label} ({@code ours}, {@code foreign}, {@code reference}). */
    public static Optional<Profile> of(String label) {
      for (Profile p : values()) {
        if (p.label.equals(label)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * How to verify.
   *
   * @param profile the profile; by default {@link Profile#OURS} for archives our writer names in
   *     {@code metadata.exporter}, {@link Profile#FOREIGN} for the rest
   * @param identity the agent's identity obtained elsewhere: needed for reference archives, pins
   *     the key of ours
   */
  public record Options(Optional<Profile> profile, Optional<IdentityDocument> identity) {
    public static Options defaults() {
      return new Options(Optional.empty(), Optional.empty());
    }

    public Options withProfile(Profile p) {
      return new Options(Optional.of(p), identity);
    }

    public Options withIdentity(IdentityDocument i) {
      return new Options(profile, Optional.of(i));
    }
  }

  /** Where the identity the signatures were checked against came from. */
  public enum IdentitySource {
    /** The archive's {@code identity.json} (also when a supplied identity matched it). */
    ARCHIVE,
    /** Supplied by the caller; the archive has none. */
    SUPPLIED,
    /** Nowhere: signatures could not be checked. */
    NONE
  }

  public static ArchiveReport verify(PqzArchive archive, Options options) {
    Profile profile =
        options
            .profile()
            .orElse(
                archive.exporter().filter(e -> e.startsWith("handshake/")).isPresent()
                    ? Profile.OURS
                    : Profile.FOREIGN);
    boolean ours = profile == Profile.OURS;
    VerifyOptions chainOptions = profile.options();
    List<String> problems = new ArrayList<>();
    int eventCount = archive.events().size();

    // Identity: the archive's, pinned by a supplied one when both exist.
    Optional<IdentityDocument> own = Optional.empty();
    if (archive.identity().isPresent()) {
      try {
        own =
            Optional.of(
                IdentityDocument.parse(
                    archive.identity().get(), false, chainOptions.lenientBase64()));
      } catch (IdentityDocument.InvalidIdentityException e) {
        problems.add(PqzArchive.IDENTITY + " is unusable: " + e.getMessage());
      }
    } else if (ours) {
      problems.add(PqzArchive.IDENTITY + " is missing (our archives carry the agent's identity)");
    }
    Optional<IdentityDocument> supplied = options.identity();
    boolean mismatch =
        own.isPresent()
            && supplied.isPresent()
            && !own.get().publicKey().equals(supplied.get().publicKey());
    if (mismatch) {
      problems.add(
          PqzArchive.IDENTITY
              + " holds the key of "
              + own.get().agentId()
              + ", not the supplied identity's "
              + supplied.get().agentId());
    }
    // A supplied identity wins: it is what the caller trusts.
    Optional<IdentityDocument> identity = supplied.isPresent() ? supplied : own;
    IdentitySource source =
        own.isPresent() && !mismatch
            ? IdentitySource.ARCHIVE
            : supplied.isPresent() ? IdentitySource.SUPPLIED : IdentitySource.NONE;
    if (identity.isEmpty()) {
      problems.add(
          "no identity: the archive carries no usable public key, so no signature can be checked"
              + " (supply the agent's identity)");
    }

    // The signed head.
    Optional<ChainHead> head = Optional.empty();
    boolean headParsed = true;
    if (archive.chainHead().isPresent()) {
      head = ChainHead.parse(archive.chainHead().get());
      if (head.isEmpty()) {
        headParsed = false;
        problems.add(
            PqzArchive.CHAIN_HEAD + " is not a signed chain head (" + ChainHead.TYPE + ")");
      }
    } else if (ours) {
      problems.add(PqzArchive.CHAIN_HEAD + " is missing (our archives carry a signed head)");
    }
    boolean headCovers = !ours || head.isEmpty() || head.get().eventCount() == eventCount;
    if (!headCovers) {
      problems.add(
          "the signed head covers "
              + head.get().eventCount()
              + " events but the archive holds "
              + eventCount);
    }

    ChainVerifier verifier = new ChainVerifier(chainOptions);
    ChainReport chain =
        identity.isPresent()
            ? verifier.verify(archive.events(), identity.get(), head)
            : verifier.verifyAgents(archive.events(), List.of(), head.stream().toList());
    Optional<Boolean> headValid =
        !headParsed ? Optional.of(false) : chain.headValid().map(valid -> valid && headCovers);

    // Unsigned members, checked against the events they describe.
    Optional<Boolean> checksumValid = archive.checksumMatches();
    if (checksumValid.isEmpty() && ours) {
      problems.add("metadata.json has no archive_checksum");
    } else if (checksumValid.isPresent() && !checksumValid.get()) {
      problems.add(
          "archive_checksum does not match the "
              + (archive.encrypted() ? "data.enc" : "data.json")
              + " member (the archive was altered)");
    }
    Optional<ArchiveIndex.Period> period = ArchiveIndex.period(archive.events());
    List<String> metadataProblems =
        ArchiveMetadata.problems(
            archive.metadata(),
            eventCount,
            archive.encrypted(),
            identity.map(IdentityDocument::agentId),
            period);
    problems.addAll(metadataProblems);
    Optional<Boolean> indexValid = Optional.empty();
    if (archive.index().isPresent()) {
      JsonNode agent = archive.metadata().path("agent_id");
      List<String> indexProblems =
          ArchiveIndex.problems(
              archive.index().get(),
              archive.events(),
              agent.stringValue(""),
              archive.encrypted(),
              period);
      indexValid = Optional.of(indexProblems.isEmpty());
      problems.addAll(indexProblems);
    } else if (ours) {
      indexValid = Optional.of(false);
      problems.add(PqzArchive.INDEX + " is missing");
    }

    String agentId =
        identity
            .map(IdentityDocument::agentId)
            .orElse(archive.metadata().path("agent_id").stringValue(""));
    return new ArchiveReport(
        profile,
        archive.encrypted(),
        agentId,
        source,
        checksumValid,
        indexValid,
        metadataProblems.isEmpty(),
        headValid,
        problems,
        chain,
        archive.entryNames());
  }
}
