package dev.hydrant.doppler;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.CounterSelector;
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

/** Test envelopes and selectors. */
public final class Envelopes {

    private Envelopes() {
    }

    public static Envelope log(String sourceId, String text) {
        return log(sourceId, text, 0);
    }

    public static Envelope log(String sourceId, String text, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(timestamp)
                .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8))).build();
    }

    public static Envelope counter(String sourceId, String name) {
        return Envelope.newBuilder().setSourceId(sourceId).setCounter(Counter.newBuilder().setName(name).setDelta(1)).build();
    }

    public static Envelope gauge(String sourceId, String... names) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (String name : names) {
            gauge.putMetrics(name, GaugeValue.newBuilder().setUnit("bytes").setValue(1).build());
        }
        return Envelope.newBuilder().setSourceId(sourceId).setGauge(gauge).build();
    }

    public static Envelope timer(String sourceId, String name) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimer(Timer.newBuilder().setName(name).setStart(1).setStop(2)).build();
    }

    public static Envelope event(String sourceId, String title) {
        return Envelope.newBuilder().setSourceId(sourceId).setEvent(Event.newBuilder().setTitle(title).setBody("b")).build();
    }

    public static String text(Envelope envelope) {
        return envelope.getLog().getPayload().toStringUtf8();
    }

    public static Selector logs(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance()).build();
    }

    public static Selector counters(String sourceId, String name) {
        return Selector.newBuilder().setSourceId(sourceId).setCounter(CounterSelector.newBuilder().setName(name)).build();
    }

    public static Selector gauges(String sourceId, String... names) {
        return Selector.newBuilder().setSourceId(sourceId).setGauge(GaugeSelector.newBuilder().addAllNames(java.util.List.of(names))).build();
    }

    public static Selector timers(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setTimer(TimerSelector.getDefaultInstance()).build();
    }

    public static Selector events(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId).setEvent(EventSelector.getDefaultInstance()).build();
    }
}
