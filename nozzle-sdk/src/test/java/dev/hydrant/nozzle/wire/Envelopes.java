package dev.hydrant.nozzle.wire;

import com.google.protobuf.ByteString;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/** Envelopes for tests. */
public final class Envelopes {

    private Envelopes() {
    }

    public static Envelope log(String sourceId, String line) {
        return log(sourceId, line, System.currentTimeMillis() * 1_000_000);
    }

    public static Envelope log(String sourceId, String line, long timestampNanos) {
        return Envelope.newBuilder()
                .setSourceId(sourceId)
                .setInstanceId("0")
                .setTimestamp(timestampNanos)
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(line)).setType(Log.Type.OUT))
                .build();
    }

    public static Envelope counter(String sourceId, String name, long delta) {
        return Envelope.newBuilder()
                .setSourceId(sourceId)
                .setTimestamp(System.currentTimeMillis() * 1_000_000)
                .setCounter(Counter.newBuilder().setName(name).setDelta(delta))
                .build();
    }

    public static String text(Envelope envelope) {
        return envelope.getLog().getPayload().toStringUtf8();
    }
}
