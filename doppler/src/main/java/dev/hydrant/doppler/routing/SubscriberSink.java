package dev.hydrant.doppler.routing;

import java.util.List;
import dev.hydrant.api.wire.EncodedEnvelope;

/**
 * Where the {@link Router} hands a subscriber's envelopes: once per routed batch, with the
 * envelopes of that batch that the subscriber gets, in their order in the batch, as the bytes they
 * arrived in.
 *
 * <p>Called on the ingress thread, so an implementation must be quick, must never block and
 * must never throw: it normally offers the list to a bounded drop-oldest buffer. The list
 * belongs to the sink after the call.
 */
@FunctionalInterface
public interface SubscriberSink {

    void deliver(List<EncodedEnvelope> envelopes);
}
