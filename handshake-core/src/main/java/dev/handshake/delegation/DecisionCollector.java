package dev.handshake.delegation;

/**
 * Told about every decision a {@link HandoffReceiver} makes, under the reference's audit event
 * names (trusthandoff.md §2.5, §3 item 9). Use it for metrics or to record receipts in the audit
 * log; it runs on the deciding thread, so keep it short.
 */
@FunctionalInterface
public interface DecisionCollector {
  String ACCEPTED = "handoff_accepted";
  String INVALID_SIGNATURE = "handoff_rejected_invalid_signature";
  String INVALID_PACKET = "handoff_rejected_invalid_packet";

  DecisionCollector NONE = (event, decision) -> {};

  void decided(String event, Decision decision);
}
