package dev.hydrant.api.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.TimerSelector;
import org.junit.jupiter.api.Test;

class SelectorsTest {

    private static final Envelope LOG = Envelope.newBuilder().setSourceId("app").setLog(Log.getDefaultInstance()).build();
    private static final Envelope COUNTER = Envelope.newBuilder().setSourceId("app")
            .setCounter(Counter.newBuilder().setName("requests")).build();
    private static final Envelope GAUGE = Envelope.newBuilder().setSourceId("app")
            .setGauge(Gauge.newBuilder().putMetrics("cpu", GaugeValue.getDefaultInstance())
                    .putMetrics("memory", GaugeValue.getDefaultInstance())).build();
    private static final Envelope TIMER = Envelope.newBuilder().setSourceId("app").setTimer(Timer.getDefaultInstance()).build();
    private static final Envelope EVENT = Envelope.newBuilder().setSourceId("app").setEvent(Event.getDefaultInstance()).build();

    @Test
    void aTypedSelectorSelectsOnlyItsType() {
        Selector logs = Selector.newBuilder().setLog(LogSelector.getDefaultInstance()).build();
        assertThat(Selectors.matches(logs, LOG)).isTrue();
        assertThat(Selectors.matches(logs, COUNTER)).isFalse();
        assertThat(Selectors.matches(Selector.newBuilder().setTimer(TimerSelector.getDefaultInstance()).build(), TIMER)).isTrue();
        assertThat(Selectors.matches(Selector.newBuilder().setEvent(EventSelector.getDefaultInstance()).build(), EVENT)).isTrue();
        assertThat(Selectors.matches(Selector.newBuilder().setEvent(EventSelector.getDefaultInstance()).build(), LOG)).isFalse();
    }

    @Test
    void anEmptySourceIdSelectsEverySource_andANamedOneOnlyItself() {
        Selector other = Selector.newBuilder().setSourceId("other").setLog(LogSelector.getDefaultInstance()).build();
        Selector app = Selector.newBuilder().setSourceId("app").setLog(LogSelector.getDefaultInstance()).build();
        assertThat(Selectors.matches(other, LOG)).isFalse();
        assertThat(Selectors.matches(app, LOG)).isTrue();
    }

    @Test
    void countersAreSelectedByName_andGaugesByAllTheirNames() {
        assertThat(Selectors.matches(Selector.newBuilder().setCounter(CounterSelector.newBuilder().setName("requests")).build(), COUNTER)).isTrue();
        assertThat(Selectors.matches(Selector.newBuilder().setCounter(CounterSelector.newBuilder().setName("errors")).build(), COUNTER)).isFalse();
        assertThat(Selectors.matches(Selector.newBuilder().setCounter(CounterSelector.getDefaultInstance()).build(), COUNTER)).isTrue();
        assertThat(Selectors.matches(Selector.newBuilder().setGauge(GaugeSelector.newBuilder().addNames("cpu")).build(), GAUGE)).isTrue();
        assertThat(Selectors.matches(Selector.newBuilder().setGauge(GaugeSelector.newBuilder().addNames("cpu").addNames("disk")).build(), GAUGE)).isFalse();
    }

    @Test
    void noSelectorsSelectNothing_andAnUntypedOneSelectsNothing() {
        assertThat(Selectors.matchesAny(List.of(), LOG)).isFalse();
        assertThat(Selectors.matches(Selector.newBuilder().setSourceId("app").build(), LOG)).isFalse();
    }

    @Test
    void aRequestWithoutSelectorsFallsBackToItsLegacySelector() {
        EgressBatchRequest legacy = EgressBatchRequest.newBuilder()
                .setLegacySelector(Selector.newBuilder().setLog(LogSelector.getDefaultInstance())).build();
        assertThat(Selectors.matches(legacy, LOG)).isTrue();
        assertThat(Selectors.matches(legacy, COUNTER)).isFalse();
    }
}
