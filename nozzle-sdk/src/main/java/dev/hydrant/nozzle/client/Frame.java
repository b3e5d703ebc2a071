package dev.hydrant.nozzle.client;

import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * What one open stream yields: that it is open, a batch of envelopes, or a sign of life.
 * Heartbeats and opens carry no envelopes; they only feed the dead-stream detector.
 */
record Frame(Kind kind, List<Envelope> envelopes) {

    enum Kind { OPEN, DATA, HEARTBEAT }

    static final Frame OPEN = new Frame(Kind.OPEN, List.of());
    static final Frame HEARTBEAT = new Frame(Kind.HEARTBEAT, List.of());

    static Frame data(List<Envelope> envelopes) {
        return new Frame(Kind.DATA, envelopes);
    }
}
