package dev.hydrant.nozzles.splunk.format;

import java.util.Map;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import tools.jackson.core.JsonGenerator;

/**
 * One envelope as one HEC event object. Logs and events are events ({@code "event": {...}}); counters,
 * gauges and timers are metric events ({@code "event": "metric"}, one {@code "metric_name:<name>": value}
 * field per value, Splunk 8's multiple-metric format). Every event carries the envelope's source id,
 * instance id and tags, and the configured fixed fields, as indexed {@code fields}.
 */
final class EventWriter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final String METRIC = "metric_name:";

    private final Mapping mapping;

    EventWriter(Mapping mapping) {
        this.mapping = mapping;
    }

    /** Writes {@code envelope}; false (nothing written) when it carries nothing Splunk can take. */
    boolean write(Envelope envelope, JsonGenerator out) {
        switch (envelope.getMessageCase()) {
            case LOG -> {
                Log log = envelope.getLog();
                header(envelope, out, mapping.sourcetypes().log(), false);
                out.writeName("event");
                out.writeStartObject();
                out.writeStringProperty("msg", log.getPayload().toStringUtf8());
                out.writeStringProperty("message_type", log.getType() == Log.Type.ERR ? "ERR" : "OUT");
                out.writeEndObject();
                fields(envelope, out);
                out.writeEndObject();
            }
            case EVENT -> {
                header(envelope, out, mapping.sourcetypes().event(), false);
                out.writeName("event");
                out.writeStartObject();
                out.writeStringProperty("title", envelope.getEvent().getTitle());
                out.writeStringProperty("body", envelope.getEvent().getBody());
                out.writeEndObject();
                fields(envelope, out);
                out.writeEndObject();
            }
            case COUNTER -> {
                Counter counter = envelope.getCounter();
                metricHeader(envelope, out, mapping.sourcetypes().counter());
                out.writeNumberProperty(METRIC + counter.getName(), counter.getTotal());
                out.writeNumberProperty(METRIC + counter.getName() + ".delta", counter.getDelta());
                endMetric(out);
            }
            case GAUGE -> {
                Gauge gauge = envelope.getGauge();
                if (gauge.getMetricsMap().values().stream().noneMatch(v -> Double.isFinite(v.getValue()))) {
                    return false;
                }
                Map<String, GaugeValue> values = gauge.getMetricsMap();
                boolean container = values.containsKey("cpu") && values.containsKey("memory") && values.containsKey("disk");
                metricHeader(envelope, out, container ? mapping.sourcetypes().containerMetric() : mapping.sourcetypes().gauge());
                for (Map.Entry<String, GaugeValue> value : values.entrySet()) {
                    if (Double.isFinite(value.getValue().getValue())) {
                        out.writeNumberProperty(METRIC + value.getKey(), value.getValue().getValue());
                    }
                }
                endMetric(out);
            }
            case TIMER -> {
                Timer timer = envelope.getTimer();
                metricHeader(envelope, out, mapping.sourcetypes().timer());
                out.writeNumberProperty(METRIC + timer.getName(), (timer.getStop() - timer.getStart()) / 1e6);
                endMetric(out);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void metricHeader(Envelope envelope, JsonGenerator out, String sourcetype) {
        header(envelope, out, sourcetype, true);
        out.writeStringProperty("event", "metric");
        out.writeName("fields");
        out.writeStartObject();
        dimensions(envelope, out);
    }

    private static void endMetric(JsonGenerator out) {
        out.writeEndObject();
        out.writeEndObject();
    }

    private void header(Envelope envelope, JsonGenerator out, String sourcetype, boolean metric) {
        out.writeStartObject();
        if (envelope.getTimestamp() > 0) {
            out.writeName("time");
            out.writeNumber(seconds(envelope.getTimestamp()));
        }
        optional(out, "host", mapping.host(envelope));
        optional(out, "source", mapping.source(envelope));
        out.writeStringProperty("sourcetype", sourcetype);
        optional(out, "index", mapping.index(envelope, metric));
    }

    private void fields(Envelope envelope, JsonGenerator out) {
        out.writeName("fields");
        out.writeStartObject();
        dimensions(envelope, out);
        out.writeEndObject();
    }

    /** source_id, instance_id, the tags and the fixed fields; a tag wins over a fixed field of its name. */
    private void dimensions(Envelope envelope, JsonGenerator out) {
        Map<String, String> tags = envelope.getTagsMap();
        optional(out, "source_id", envelope.getSourceId());
        optional(out, "instance_id", envelope.getInstanceId());
        for (Map.Entry<String, String> field : mapping.fields().entrySet()) {
            if (!tags.containsKey(field.getKey())) {
                out.writeStringProperty(field.getKey(), field.getValue());
            }
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!tag.getKey().equals("source_id") && !tag.getKey().equals("instance_id")) {
                out.writeStringProperty(tag.getKey(), tag.getValue());
            }
        }
    }

    private static void optional(JsonGenerator out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.writeStringProperty(name, value);
        }
    }

    /** Epoch seconds with milliseconds, as HEC's {@code time} takes them: {@code 1764316820.500}. */
    static String seconds(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long millis = Math.floorMod(nanos, NANOS_PER_SECOND) / 1_000_000;
        StringBuilder text = new StringBuilder(16).append(seconds).append('.');
        if (millis < 100) {
            text.append(millis < 10 ? "00" : "0");
        }
        return text.append(millis).toString();
    }
}
