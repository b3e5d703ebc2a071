package dev.hydrant.cli.wire;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;

/** Envelopes as an app and the platform emit them. */
public final class Envelopes {

    private Envelopes() {
    }

    public static long nanos(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    public static Envelope log(String sourceId, String instance, Log.Type type, String message, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId(instance).setTimestamp(timestampNanos)
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setType(type).setPayload(ByteString.copyFromUtf8(message)))
                .build();
    }

    public static Envelope log(String sourceId, String message, long timestampNanos) {
        return log(sourceId, "0", Log.Type.OUT, message, timestampNanos);
    }

    public static Envelope counter(String sourceId, String name, long delta, long total, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("0").setTimestamp(timestampNanos)
                .setCounter(Counter.newBuilder().setName(name).setDelta(delta).setTotal(total)).build();
    }

    public static Envelope gauge(String sourceId, long timestampNanos) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("1").setTimestamp(timestampNanos)
                .setGauge(Gauge.newBuilder()
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1048576).build())
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(12.5).build()))
                .build();
    }
}
