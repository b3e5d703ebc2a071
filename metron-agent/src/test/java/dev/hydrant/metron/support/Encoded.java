package dev.hydrant.metron.support;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/** Envelopes as the agent holds them: encoded once, in a modifiable list. */
public final class Encoded {

    private Encoded() {
    }

    public static List<EncodedEnvelope> of(List<Envelope> envelopes) {
        List<EncodedEnvelope> encoded = new ArrayList<>(envelopes.size());
        envelopes.forEach(envelope -> encoded.add(EncodedEnvelope.of(envelope)));
        return encoded;
    }

    /** The envelopes, parsed again. */
    public static List<Envelope> parsed(List<EncodedEnvelope> encoded) {
        return encoded.stream().map(EncodedEnvelope::envelope).toList();
    }
}
