package dev.hydrant.doppler.cache;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * A read of one source id's cached envelopes.
 *
 * @param sourceId   the source id
 * @param startTime  UNIX ns, inclusive; 0 means from the oldest
 * @param endTime    UNIX ns, exclusive; 0 means no upper bound
 * @param types      envelope types wanted; empty means every type
 * @param limit      how many of the newest matching envelopes to return, 1 to {@link #MAX_LIMIT}
 * @param descending newest first when true, else oldest first
 */
public record ReadQuery(String sourceId, long startTime, long endTime, Set<Envelope.MessageCase> types,
                        int limit, boolean descending) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public ReadQuery {
        Objects.requireNonNull(sourceId, "sourceId");
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    boolean accepts(EncodedEnvelope envelope) {
        long timestamp = envelope.timestamp();
        return timestamp >= startTime
                && (endTime == 0 || timestamp < endTime)
                && (types.isEmpty() || types.contains(envelope.type()));
    }
}
