package dev.hydrant.metron.support;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/** Envelopes as emitters send them. */
public final class Envelopes {

    private Envelopes() {
    }

    public static Envelope log(String sourceId, String line) {
        return Envelope.newBuilder()
                .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                .setSourceId(sourceId)
                .setInstanceId("0")
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(line, StandardCharsets.UTF_8)).setType(Log.Type.OUT))
                .build();
    }

    /** Logs {@code "<prefix>-<i>"} for i in [from, to). */
    public static List<Envelope> logs(String sourceId, String prefix, int from, int to) {
        List<Envelope> list = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            list.add(log(sourceId, prefix + "-" + i));
        }
        return list;
    }

    public static Envelope counter(String sourceId, String name, long delta, long total) {
        return Envelope.newBuilder()
                .setSourceId(sourceId)
                .setCounter(Counter.newBuilder().setName(name).setDelta(delta).setTotal(total))
                .build();
    }

    public static String payload(Envelope envelope) {
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
