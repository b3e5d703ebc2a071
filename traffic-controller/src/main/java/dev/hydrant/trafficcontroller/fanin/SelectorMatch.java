package dev.hydrant.trafficcontroller.fanin;

import java.util.List;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * Whether an envelope matches a subscription's selectors, with the Doppler's semantics
 * (WIRE.md section 2). Used only for the Traffic Controller's own envelopes, which never pass
 * through a Doppler; everything else is selected by the Dopplers.
 */
final class SelectorMatch {

    private SelectorMatch() {
    }

    static boolean matches(EgressBatchRequest request, Envelope envelope) {
        List<Selector> selectors = request.getSelectorsList();
        if (selectors.isEmpty() && request.hasLegacySelector()) {
            return matches(request.getLegacySelector(), envelope);
        }
        for (Selector selector : selectors) {
            if (matches(selector, envelope)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(Selector selector, Envelope envelope) {
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
