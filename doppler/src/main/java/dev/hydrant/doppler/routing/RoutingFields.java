package dev.hydrant.doppler.routing;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The fields selectors and shard groups read of the envelope being routed, each read from its bytes at
 * most once however many subscribers ask: a counter's name and a gauge's metric names are decoded on
 * first use. One instance per routing thread, pointed at each envelope in turn, so that routing a log
 * (source id and type only, both known from ingress) allocates nothing.
 */
final class RoutingFields {

    private EncodedEnvelope envelope;
    private String counterName;
    private List<String> gaugeNames;

    /** Points this at {@code next}; returns this. */
    RoutingFields of(EncodedEnvelope next) {
        this.envelope = next;
        this.counterName = null;
        this.gaugeNames = null;
        return this;
    }

    EncodedEnvelope envelope() {
        return envelope;
    }

    Envelope.MessageCase type() {
        return envelope.type();
    }

    String sourceId() {
        return envelope.sourceId();
    }

    /** The counter's name; empty for other types. */
    String counterName() {
        if (counterName == null) {
            counterName = envelope.counterName();
        }
        return counterName;
    }

    /** The gauge's distinct metric names; empty for other types. */
    List<String> gaugeNames() {
        if (gaugeNames == null) {
            gaugeNames = envelope.gaugeNames();
        }
        return gaugeNames;
    }
}
