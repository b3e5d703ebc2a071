package dev.hydrant.nozzles.elasticsearch.bulk;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;

/**
 * One envelope as one {@code _bulk} item: the {@code create} action line and the document line, UTF-8. The
 * fields (nozzles/elasticsearch/README.md, "Documents"):
 * {@code @timestamp} (the envelope's, nanoseconds), {@code source_id}, {@code instance_id},
 * {@code message_type} (log, counter, gauge, timer, event), {@code tags.*}; a log's {@code message} and
 * {@code log_type} (OUT, ERR); a counter's {@code counter.name}, {@code .delta}, {@code .total}; a gauge's
 * {@code gauge.NAME.value} and {@code gauge.NAME.unit}; a timer's {@code timer.name}, {@code .start},
 * {@code .stop}, {@code .duration_ns}; an event's {@code event.title} and {@code event.body}.
 * Used by one thread (it caches the day's index name).
 */
public final class DocumentWriter {

    private final IndexTarget target;
    private final StringBuilder out = new StringBuilder(512);

    public DocumentWriter(IndexTarget target) {
        this.target = target;
    }

    /** The item's two lines, each ended by a newline. {@code nowNanos} stands in for a missing timestamp. */
    public byte[] item(Envelope envelope, long nowNanos) {
        long timestamp = envelope.getTimestamp() > 0 ? envelope.getTimestamp() : nowNanos;
        out.setLength(0);
        out.append("{\"create\":{\"_index\":");
        Json.string(out, target.index(timestamp)).append("}}\n{");
        Json.name(out, "@timestamp");
        Json.string(out, time(timestamp));
        out.append(',');
        Json.name(out, "source_id");
        Json.string(out, envelope.getSourceId());
        if (!envelope.getInstanceId().isEmpty()) {
            out.append(',');
            Json.name(out, "instance_id");
            Json.string(out, envelope.getInstanceId());
        }
        out.append(',');
        Json.name(out, "message_type");
        switch (envelope.getMessageCase()) {
            case LOG -> {
                Json.string(out, "log").append(',');
                Json.name(out, "message");
                Json.string(out, envelope.getLog().getPayload().toStringUtf8()).append(',');
                Json.name(out, "log_type");
                Json.string(out, envelope.getLog().getType() == Log.Type.ERR ? "ERR" : "OUT");
            }
            case COUNTER -> counter(envelope.getCounter());
            case GAUGE -> gauge(envelope.getGauge());
            case TIMER -> timer(envelope.getTimer());
            case EVENT -> event(envelope.getEvent());
            default -> Json.string(out, "unknown");
        }
        tags(envelope.getTagsMap());
        out.append("}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void counter(Counter counter) {
        Json.string(out, "counter").append(",\"counter\":{");
        Json.name(out, "name");
        Json.string(out, counter.getName());
        out.append(",\"delta\":").append(Long.toUnsignedString(counter.getDelta()))
                .append(",\"total\":").append(Long.toUnsignedString(counter.getTotal())).append('}');
    }

    private void gauge(Gauge gauge) {
        Json.string(out, "gauge").append(",\"gauge\":{");
        boolean first = true;
        for (Map.Entry<String, GaugeValue> metric : gauge.getMetricsMap().entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            Json.name(out, metric.getKey()).append("{\"value\":");
            Json.number(out, metric.getValue().getValue()).append(',');
            Json.name(out, "unit");
            Json.string(out, metric.getValue().getUnit()).append('}');
        }
        out.append('}');
    }

    private void timer(Timer timer) {
        Json.string(out, "timer").append(",\"timer\":{");
        Json.name(out, "name");
        Json.string(out, timer.getName()).append(',');
        Json.name(out, "start");
        Json.string(out, time(timer.getStart())).append(',');
        Json.name(out, "stop");
        Json.string(out, time(timer.getStop()));
        out.append(",\"duration_ns\":").append(timer.getStop() - timer.getStart()).append('}');
    }

    private void event(Event event) {
        Json.string(out, "event").append(",\"event\":{");
        Json.name(out, "title");
        Json.string(out, event.getTitle()).append(',');
        Json.name(out, "body");
        Json.string(out, event.getBody()).append('}');
    }

    private void tags(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        out.append(",\"tags\":{");
        boolean first = true;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            Json.name(out, tag.getKey());
            Json.string(out, tag.getValue());
        }
        out.append('}');
    }

    /** Nanoseconds since the epoch as ISO 8601 in UTC, to the nanosecond where it has them. */
    private static String time(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
    }
}
