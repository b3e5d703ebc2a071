package dev.hydrant.testsupport.envelopes;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;

/**
 * v2 envelopes as apps and the platform emit them. A log is an app's: instance "0", tag
 * {@code source_type=APP/PROC/WEB}, type OUT; without a timestamp it is stamped now.
 */
public final class Envelopes {

    private Envelopes() {
    }

    /** Now in UNIX nanoseconds (at millisecond resolution). */
    public static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    /** An ISO-8601 instant ("2024-05-01T10:00:00.123Z") in UNIX nanoseconds. */
    public static long nanos(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    public static Envelope log(String sourceId, String instance, Log.Type type, String text, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId(instance).setTimestamp(timestampNanos)
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setType(type).setPayload(ByteString.copyFromUtf8(text)))
                .build();
    }

    public static Envelope log(String sourceId, String text, long timestampNanos) {
        return log(sourceId, "0", Log.Type.OUT, text, timestampNanos);
    }

    public static Envelope log(String sourceId, String text) {
        return log(sourceId, text, now());
    }

    /** Logs {@code "<prefix>-<i>"} for i in [from, to). */
    public static List<Envelope> logs(String sourceId, String prefix, int from, int to) {
        List<Envelope> list = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            list.add(log(sourceId, prefix + "-" + i));
        }
        return list;
    }

    public static Envelope counter(String sourceId, String name, long delta, long total, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("0").setTimestamp(timestampNanos)
                .setCounter(Counter.newBuilder().setName(name).setDelta(delta).setTotal(total)).build();
    }

    /** A counter without a timestamp, as an emitter may send it. */
    public static Envelope counter(String sourceId, String name, long delta, long total) {
        return counter(sourceId, name, delta, total, 0);
    }

    /** A counter stamped now. */
    public static Envelope counter(String sourceId, String name, long delta) {
        return counter(sourceId, name, delta, 0, now());
    }

    /** A counter of delta 1 without a timestamp. */
    public static Envelope counter(String sourceId, String name) {
        return counter(sourceId, name, 1, 0, 0);
    }

    /** A gauge of the given metrics, each 1 byte. */
    public static Envelope gauge(String sourceId, String... names) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (String name : names) {
            gauge.putMetrics(name, GaugeValue.newBuilder().setUnit("bytes").setValue(1).build());
        }
        return Envelope.newBuilder().setSourceId(sourceId).setGauge(gauge).build();
    }

    /** An app instance's container gauge (instance "1"): memory 1 MiB in bytes and cpu 12.5 %. */
    public static Envelope gauge(String sourceId, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("1").setTimestamp(timestampNanos)
                .setGauge(Gauge.newBuilder()
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1048576).build())
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(12.5).build()))
                .build();
    }

    public static Envelope timer(String sourceId, String name) {
        return Envelope.newBuilder().setSourceId(sourceId)
                .setTimer(Timer.newBuilder().setName(name).setStart(1).setStop(2)).build();
    }

    public static Envelope event(String sourceId, String title) {
        return Envelope.newBuilder().setSourceId(sourceId)
                .setEvent(Event.newBuilder().setTitle(title).setBody("b")).build();
    }

    /** A log's payload as text. */
    public static String text(Envelope envelope) {
        return envelope.getLog().getPayload().toStringUtf8();
    }

    /** Splits into batches of {@code size}. */
    public static List<List<Envelope>> batches(List<Envelope> envelopes, int size) {
        List<List<Envelope>> batches = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i += size) {
            batches.add(envelopes.subList(i, Math.min(envelopes.size(), i + size)));
        }
        return batches;
    }
}
