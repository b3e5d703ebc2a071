package dev.hydrant.api.select;

import java.util.List;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * What a v2 egress selector selects (docs/wire.md section 2): its source id (empty: every source),
 * its envelope type, and for counters the name (empty: any), for gauges the metric names (the
 * gauge must carry all of them). A selector without a type selects nothing here; servers refuse
 * it with INVALID_ARGUMENT before it gets this far.
 */
public final class Selectors {

    private Selectors() {
    }

    /** Whether {@code selector} selects {@code envelope}. */
    public static boolean matches(Selector selector, Envelope envelope) {
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

    /** Whether any of {@code selectors} selects {@code envelope}; none selects nothing. */
    public static boolean matchesAny(List<Selector> selectors, Envelope envelope) {
        for (int i = 0, n = selectors.size(); i < n; i++) {
            if (matches(selectors.get(i), envelope)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a request's selectors (or, when it has none, its legacy selector) select {@code envelope}. */
    public static boolean matches(EgressBatchRequest request, Envelope envelope) {
        if (request.getSelectorsCount() == 0 && request.hasLegacySelector()) {
            return matches(request.getLegacySelector(), envelope);
        }
        return matchesAny(request.getSelectorsList(), envelope);
    }
}
