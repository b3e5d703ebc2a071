package dev.hydrant.testsupport.envelopes;

import java.util.List;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.TimerSelector;

/** v2 egress selectors of one source id (empty: every source). */
public final class Selectors {

    private Selectors() {
    }

    public static Selector logs(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance()).build();
    }

    public static Selector counters(String sourceId, String name) {
        return Selector.newBuilder().setSourceId(sourceId).setCounter(CounterSelector.newBuilder().setName(name)).build();
    }

    public static Selector gauges(String sourceId, String... names) {
        return Selector.newBuilder().setSourceId(sourceId)
                .setGauge(GaugeSelector.newBuilder().addAllNames(List.of(names))).build();
    }

    public static Selector timers(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setTimer(TimerSelector.getDefaultInstance()).build();
    }

    public static Selector events(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setEvent(EventSelector.getDefaultInstance()).build();
    }
}
