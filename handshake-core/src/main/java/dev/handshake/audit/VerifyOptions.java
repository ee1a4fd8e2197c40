package dev.handshake.audit;

/**
 * How strictly {@link ChainVerifier} reads a chain. {@link #ours()} is the default for chains we
 * wrote, {@link #foreign()} for data from other AISS implementations, {@link #reference()}
 * reproduces PiQrypt's {@code get_verification_report} (aiss.md §2.4), including its gaps, for
 * parity tests. Each field is one compatibility switch of aiss.md §3:
 *
 * @param genesis {@code aiss.verify.genesis}
 * @param lenientBase64 {@code aiss.verify.lenientBase64}: discard non-alphabet characters
 * @param agentBinding {@code aiss.verify.agentBinding}: each event's agent_id must be its key's id
 * @param scopeForksPerAgent {@code aiss.verify.scopeForksPerAgent}
 * @param perAgentOrder linkage and timestamps per agent (a multi-agent store interleaves chains);
 *     the reference compares neighbours in list order
 * @param detectEncodings apply the Base64/Base58 detection rule; the reference decodes Base64 only
 * @param firstErrorPerCheck report only the first error of each check, in the reference's words
 * @param unsignedAnnotations read {@code trusted_timestamp} added after signing as an unsigned
 *     annotation (signature checked without it, linkage accepted with or without it); the
 *     reference counts it as a broken signature
 */
public record VerifyOptions(
    GenesisRule genesis,
    boolean lenientBase64,
    boolean agentBinding,
    boolean scopeForksPerAgent,
    boolean perAgentOrder,
    boolean detectEncodings,
    boolean firstErrorPerCheck,
    boolean unsignedAnnotations) {

  /** Which genesis {@code previous_hash} values are accepted. */
  public enum GenesisRule {
    /** Only hex SHA-256 of the agent's public key: what we write. */
    STRICT,
    /** Any of the four reference forms, each reported. */
    ANY_REPORTED,
    /** Not checked (the reference). */
    ANY
  }

  public static VerifyOptions ours() {
    return new VerifyOptions(GenesisRule.STRICT, false, true, true, true, true, false, true);
  }

  public static VerifyOptions foreign() {
    return new VerifyOptions(GenesisRule.ANY_REPORTED, false, true, true, true, true, false, true);
  }

  public static VerifyOptions reference() {
    return new VerifyOptions(GenesisRule.ANY, true, false, false, false, false, true, false);
  }

  public VerifyOptions withGenesis(GenesisRule rule) {
    return new VerifyOptions(
        rule, lenientBase64, agentBinding, scopeForksPerAgent, perAgentOrder, detectEncodings,
        firstErrorPerCheck, unsignedAnnotations);
  }
}
