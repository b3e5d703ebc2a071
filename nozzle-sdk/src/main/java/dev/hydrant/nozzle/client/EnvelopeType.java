package dev.hydrant.nozzle.client;

import java.util.EnumSet;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.TimerSelector;

/** The five kinds of v2 envelope a reader can select (docs/wire.md section 2). */
public enum EnvelopeType {
    LOG, COUNTER, GAUGE, TIMER, EVENT;

    /** Every type: what a firehose reader usually wants. */
    public static Set<EnvelopeType> all() {
        return EnumSet.allOf(EnvelopeType.class);
    }

    /** A selector for this type from {@code sourceId} (empty or null: every source). */
    public Selector selector(String sourceId) {
        Selector.Builder selector = Selector.newBuilder().setSourceId(sourceId == null ? "" : sourceId);
        switch (this) {
            case LOG -> selector.setLog(LogSelector.getDefaultInstance());
            case COUNTER -> selector.setCounter(CounterSelector.getDefaultInstance());
            case GAUGE -> selector.setGauge(GaugeSelector.getDefaultInstance());
            case TIMER -> selector.setTimer(TimerSelector.getDefaultInstance());
            case EVENT -> selector.setEvent(EventSelector.getDefaultInstance());
        }
        return selector.build();
    }

    /** The type of a selector, or null when it names none. */
    static EnvelopeType of(Selector selector) {
        return switch (selector.getMessageCase()) {
            case LOG -> LOG;
            case COUNTER -> COUNTER;
            case GAUGE -> GAUGE;
            case TIMER -> TIMER;
            case EVENT -> EVENT;
            case MESSAGE_NOT_SET -> null;
        };
    }

    /** The type of an envelope, or null when it carries no message. */
    static EnvelopeType of(Envelope envelope) {
        return switch (envelope.getMessageCase()) {
            case LOG -> LOG;
            case COUNTER -> COUNTER;
            case GAUGE -> GAUGE;
            case TIMER -> TIMER;
            case EVENT -> EVENT;
            case MESSAGE_NOT_SET -> null;
        };
    }
}
