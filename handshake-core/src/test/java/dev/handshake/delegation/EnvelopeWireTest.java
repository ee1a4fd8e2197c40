package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** trusthandoff.md §4 items 7 and 8: envelopes and chains in both reference wire forms. */
class EnvelopeWireTest {
  @Test
  void item07_bothWireFormsOfEveryVectorEnvelopeRoundTripByteForByte() throws Exception {
    List<JsonNode> envelopes = new java.util.ArrayList<>();
    HandoffVectors.SINGLE.path("cases").forEach(envelopes::add);
    HandoffVectors.TWO_HOP.path("envelopes").forEach(envelopes::add);
    assertThat(envelopes).hasSize(4);
    for (JsonNode c : envelopes) {
      String compact = c.path("envelope_model_dump_json").stringValue();
      String sorted = c.path("envelope_wire_json_envelope_to_json").stringValue();
      DelegationEnvelope fromCompact = DelegationEnvelope.parse(compact);
      DelegationEnvelope fromSorted = DelegationEnvelope.parse(sorted);
      assertThat(fromCompact.toWire()).isEqualTo(compact);
      assertThat(fromCompact.toSortedWire()).isEqualTo(sorted);
      assertThat(fromSorted.toSortedWire()).isEqualTo(sorted);
      assertThat(fromSorted.packet().packetId()).isEqualTo(fromCompact.packet().packetId());
      assertThat(fromSorted.packet().intent()).isEqualTo(fromCompact.packet().intent());
      assertThat(fromSorted.chain()).isEqualTo(fromCompact.chain());
      assertThat(fromSorted.packet().signingPayload()).isEqualTo(fromCompact.packet().signingPayload());
    }
  }

  @Test
  void item08_addHandoffTwiceGivesDepthTwoWithOrderedListsAndHopsAreKept() throws Exception {
    JsonNode c = HandoffVectors.singleCase("S1_minimal");
    DelegationEnvelope e = DelegationEnvelope.parse(c.path("envelope_model_dump_json").stringValue());
    DelegationChain chain =
        new DelegationChain(List.of(), List.of(), List.of())
            .addHandoff("pk_1", "agent:one")
            .addHandoff("pk_2", "agent:two")
            .addHop(new DelegationHop("agent:one", e.packet().permissions()));
    assertThat(chain.depth()).isEqualTo(2);
    assertThat(chain.packetIds()).containsExactly("pk_1", "pk_2");
    assertThat(chain.agents()).containsExactly("agent:one", "agent:two");
    assertThat(chain.hops()).hasSize(1);
  }

  @Test
  void malformedEnvelopesAreNamedNotThrownAsRuntimeErrors() {
    for (String bad :
        new String[] {
          "not json", "[]", "{}", "{\"packet\":{},\"chain\":{}}",
          "{\"packet\":" + HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue()
              + ",\"chain\":{\"packet_ids\":\"x\",\"agents\":[]}}",
          "[".repeat(100) + "]".repeat(100)
        }) {
      assertThatThrownBy(() -> DelegationEnvelope.parse(bad)).as(bad)
          .isInstanceOf(MalformedPacketException.class);
    }
  }
}
