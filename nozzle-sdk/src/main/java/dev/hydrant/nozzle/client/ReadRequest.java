package dev.hydrant.nozzle.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * What to read: v2 selectors and a subscription (shard) id. Readers that share a non-empty
 * {@code subscriptionId} split the stream between them; an empty one gets the whole stream.
 *
 * @param subscriptionId the shard id (v2) or firehose subscription id (v1); empty for none
 * @param selectors      at least one; each must name an envelope type; an empty source id means every source
 */
public record ReadRequest(String subscriptionId, List<Selector> selectors) {

    public ReadRequest {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        selectors = List.copyOf(Objects.requireNonNull(selectors, "selectors"));
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("selectors must not be empty: no selectors means no data");
        }
        for (Selector selector : selectors) {
            if (EnvelopeType.of(selector) == null) {
                throw new IllegalArgumentException("a selector must name an envelope type: " + selector);
            }
        }
    }

    /** Every source's envelopes of the given types, shared among readers of {@code subscriptionId}. */
    public static ReadRequest firehose(String subscriptionId, Collection<EnvelopeType> types) {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        if (subscriptionId.isBlank()) {
            throw new IllegalArgumentException("a firehose needs a subscription id");
        }
        return new ReadRequest(subscriptionId, selectors("", types));
    }

    /** One source's envelopes of the given types, not shared. */
    public static ReadRequest source(String sourceId, Collection<EnvelopeType> types) {
        Objects.requireNonNull(sourceId, "sourceId");
        if (sourceId.isBlank()) {
            throw new IllegalArgumentException("sourceId must not be blank");
        }
        return new ReadRequest("", selectors(sourceId, types));
    }

    private static List<Selector> selectors(String sourceId, Collection<EnvelopeType> types) {
        Objects.requireNonNull(types, "types");
        List<Selector> selectors = new ArrayList<>(types.size());
        types.stream().distinct().sorted().forEach(type -> selectors.add(type.selector(sourceId)));
        return selectors;
    }

    /** True when every selector reads every source (a firehose). */
    boolean everySource() {
        return selectors.stream().allMatch(s -> s.getSourceId().isEmpty());
    }
}
