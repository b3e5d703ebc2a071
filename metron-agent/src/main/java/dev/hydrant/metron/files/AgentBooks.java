package dev.hydrant.metron.files;

import dev.hydrant.metron.egress.Departures;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;

/**
 * The agent's books as the file tailer needs them, by the numbers its buffer gives envelopes as they are offered
 * (from 0, in order): how many have entered it, and the number below which every one has left it, confirmed by a
 * Doppler or counted as dropped (pushed out of the buffer, lost on a broken stream). Logs over an app's rate limit
 * never enter the buffer and have no number.
 */
public interface AgentBooks {

    /** Envelopes offered to the agent's buffer so far: every envelope handed on before has a lower number. */
    long entered();

    /** The number below which every envelope that entered has left the agent. */
    long settled();

    /** The books of the agent whose buffer and departures these are. */
    static AgentBooks of(DropOldestBuffer<?> buffer, Departures departures) {
        return new AgentBooks() {
            @Override
            public long entered() {
                return buffer.offered();
            }

            @Override
            public long settled() {
                return departures.settled();
            }
        };
    }
}
