package dev.hydrant.doppler.routing;

import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * What a subscriber asks for (docs/wire.md section 2).
 *
 * @param selectors         what to receive; empty means nothing; each selector must name a type
 * @param shardId           subscribers sharing a non-empty shard id split the stream between them;
 *                          empty means this subscriber gets every matching envelope
 * @param deterministicName when non-empty, the shard group places counters by the hash of their
 *                          name and gauges by the hash of their metric names
 */
public record SubscriptionSpec(List<Selector> selectors, String shardId, String deterministicName) {

    public SubscriptionSpec {
        selectors = List.copyOf(Objects.requireNonNull(selectors, "selectors"));
        shardId = shardId == null ? "" : shardId;
        deterministicName = deterministicName == null ? "" : deterministicName;
    }

    /** A subscriber of its own (no shard group) with these selectors. */
    public static SubscriptionSpec of(Selector... selectors) {
        return new SubscriptionSpec(List.of(selectors), "", "");
    }
}
