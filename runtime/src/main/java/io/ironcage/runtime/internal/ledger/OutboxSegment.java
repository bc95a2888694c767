package io.ironcage.runtime.internal.ledger;

import java.util.BitSet;
import java.util.List;

/**
 * Analytics events written together, as the outbox keeps them until the control server has taken them all.
 *
 * @param id the segment's id
 * @param events the events, each a JSON object as sent to the server, oldest first
 * @param acked which of them the server has answered for (by index)
 */
public record OutboxSegment(String id, List<String> events, BitSet acked) {

    public OutboxSegment {
        events = List.copyOf(events);
        acked = (BitSet) acked.clone();
    }

    /** How many events the server has not answered for. */
    public int unacked() {
        return events.size() - acked.cardinality();
    }
}
