package dev.hydrant.nozzle.client;

import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * Selector semantics applied on the client, for the v1 websocket, whose server can only filter by
 * logs or metrics: an envelope passes when any selector names its source (or every source), its type,
 * and, for counters and gauges, its names.
 */
final class SelectorFilter {

    private final List<Selector> selectors;

    SelectorFilter(List<Selector> selectors) {
        this.selectors = List.copyOf(selectors);
    }

    boolean matches(Envelope envelope) {
        for (Selector selector : selectors) {
            if (matches(selector, envelope)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Selector selector, Envelope envelope) {
        if (!selector.getSourceId().isEmpty() && !selector.getSourceId().equals(envelope.getSourceId())) {
            return false;
        }
        return switch (selector.getMessageCase()) {
            case LOG -> envelope.hasLog();
            case COUNTER -> envelope.hasCounter() && (selector.getCounter().getName().isEmpty()
                    || selector.getCounter().getName().equals(envelope.getCounter().getName()));
            case GAUGE -> envelope.hasGauge()
                    && envelope.getGauge().getMetricsMap().keySet().containsAll(selector.getGauge().getNamesList());
            case TIMER -> envelope.hasTimer();
            case EVENT -> envelope.hasEvent();
            case MESSAGE_NOT_SET -> false;
        };
    }
}
