package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.select.Selectors;
import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Delivers the Traffic Controller's own envelopes (the slow-consumer Event, for one) to its own
 * clients whose selectors match, on every endpoint (a v1 websocket consumer gets those with a v1
 * form; Events have none); they never pass through a Doppler. Within a shard id only
 * one client of this Traffic Controller gets each envelope. Every {@link ClientStream} is
 * registered here while it is open, whatever its endpoint.
 */
public final class LocalDelivery {

    private final Map<ClientBuffer, EgressBatchRequest> clients = new ConcurrentHashMap<>();

    void register(EgressBatchRequest request, ClientBuffer buffer) {
        clients.put(buffer, request);
    }

    void unregister(ClientBuffer buffer) {
        clients.remove(buffer);
    }

    /** Hands the envelope, encoded once, to each client whose selectors match. */
    public void deliver(Envelope envelope) {
        List<EncodedEnvelope> encoded = List.of(EncodedEnvelope.of(envelope));
        Set<String> shardsServed = new HashSet<>();
        clients.forEach((buffer, request) -> {
            if (Selectors.matches(request, envelope)
                    && (request.getShardId().isEmpty() || shardsServed.add(request.getShardId()))) {
                buffer.offer(encoded);
            }
        });
    }

    /** Clients registered now. */
    public int clients() {
        return clients.size();
    }
}
