package dev.hydrant.api.convert;

import static dev.hydrant.api.convert.EnvelopeTags.CONTAINER_METRIC_KEYS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.EventFactory.Envelope.EventType;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Value;

/** v2 to v1; see {@link V1Conversion#toV1}. */
final class ToV1 {

    private ToV1() {
    }

    static List<EventFactory.Envelope> convert(Envelope v2) {
        switch (v2.getMessageCase()) {
            case LOG:
                return List.of(log(v2));
            case COUNTER:
                return List.of(counter(v2));
            case GAUGE:
                return gauge(v2);
            case TIMER:
                return HttpTags.TIMER_NAME.equals(v2.getTimer().getName())
                        ? List.of(base(v2, EventType.HttpStartStop, HttpTags.ALL)
                                .setHttpStartStop(HttpConversion.toV1(v2)).build())
                        : List.of();
            default:
                return List.of();
        }
    }

    private static EventFactory.Envelope log(Envelope v2) {
        Log log = v2.getLog();
        LogFactory.LogMessage.Builder message = LogFactory.LogMessage.newBuilder()
                .setMessage(log.getPayload())
                .setMessageType(log.getType() == Log.Type.ERR
                        ? LogFactory.LogMessage.MessageType.ERR : LogFactory.LogMessage.MessageType.OUT)
                .setTimestamp(v2.getTimestamp())
                .setAppId(v2.getSourceId())
                .setSourceInstance(v2.getInstanceId());
        String sourceType = v2.getTagsOrDefault(EnvelopeTags.SOURCE_TYPE, "");
        if (!sourceType.isEmpty()) {
            message.setSourceType(sourceType);
        }
        return base(v2, EventType.LogMessage, Set.of(EnvelopeTags.SOURCE_TYPE)).setLogMessage(message).build();
    }

    private static EventFactory.Envelope counter(Envelope v2) {
        Counter counter = v2.getCounter();
        return base(v2, EventType.CounterEvent, Set.of())
                .setCounterEvent(MetricFactory.CounterEvent.newBuilder()
                        .setName(counter.getName())
                        .setDelta(counter.getDelta())
                        .setTotal(counter.getTotal()))
                .build();
    }

    private static List<EventFactory.Envelope> gauge(Envelope v2) {
        Map<String, GaugeValue> metrics = new TreeMap<>(v2.getGauge().getMetricsMap());
        List<EventFactory.Envelope> out = new ArrayList<>(metrics.size());
        if (metrics.keySet().containsAll(CONTAINER_METRIC_KEYS)) {
            out.add(containerMetric(v2, metrics));
            metrics.keySet().removeAll(CONTAINER_METRIC_KEYS);
        }
        if (metrics.isEmpty()) {
            return out;
        }
        EventFactory.Envelope prototype = base(v2, EventType.ValueMetric, Set.of()).buildPartial();
        for (Map.Entry<String, GaugeValue> metric : metrics.entrySet()) {
            out.add(prototype.toBuilder()
                    .setValueMetric(MetricFactory.ValueMetric.newBuilder()
                            .setName(metric.getKey())
                            .setValue(metric.getValue().getValue())
                            .setUnit(metric.getValue().getUnit()))
                    .build());
        }
        return out;
    }

    private static EventFactory.Envelope containerMetric(Envelope v2, Map<String, GaugeValue> metrics) {
        return base(v2, EventType.ContainerMetric, Set.of())
                .setContainerMetric(MetricFactory.ContainerMetric.newBuilder()
                        .setApplicationId(v2.getSourceId())
                        .setInstanceIndex(DecimalText.parseInt(v2.getInstanceId(), 0))
                        .setCpuPercentage(metrics.get("cpu").getValue())
                        .setMemoryBytes(unsigned(metrics.get("memory")))
                        .setDiskBytes(unsigned(metrics.get("disk")))
                        .setMemoryBytesQuota(unsigned(metrics.get("memory_quota")))
                        .setDiskBytesQuota(unsigned(metrics.get("disk_quota"))))
                .build();
    }

    /** The fields every v1 envelope has, and the tags left over once {@code consumed} are taken out. */
    private static EventFactory.Envelope.Builder base(Envelope v2, EventType type, Set<String> consumed) {
        Map<String, String> tags = v2.getTagsMap();
        String origin = tags.getOrDefault(EnvelopeTags.ORIGIN, "");
        EventFactory.Envelope.Builder v1 = EventFactory.Envelope.newBuilder()
                .setOrigin(origin.isEmpty() ? v2.getSourceId() : origin)
                .setEventType(type)
                .setTimestamp(v2.getTimestamp());
        if (tags.containsKey(EnvelopeTags.DEPLOYMENT)) {
            v1.setDeployment(tags.get(EnvelopeTags.DEPLOYMENT));
        }
        if (tags.containsKey(EnvelopeTags.JOB)) {
            v1.setJob(tags.get(EnvelopeTags.JOB));
        }
        if (tags.containsKey(EnvelopeTags.INDEX)) {
            v1.setIndex(tags.get(EnvelopeTags.INDEX));
        }
        if (tags.containsKey(EnvelopeTags.IP)) {
            v1.setIp(tags.get(EnvelopeTags.IP));
        }
        Map<String, String> remaining = new HashMap<>(tags.size() + v2.getDeprecatedTagsCount() + 1);
        for (Map.Entry<String, Value> tag : v2.getDeprecatedTagsMap().entrySet()) {
            remaining.put(tag.getKey(), PreferredTags.asText(tag.getValue()));
        }
        remaining.putAll(tags);
        remaining.keySet().removeAll(EnvelopeTags.ENVELOPE_FIELDS);
        remaining.keySet().removeAll(consumed);
        if (!v2.getSourceId().isEmpty()) {
            remaining.put(EnvelopeTags.SOURCE_ID, v2.getSourceId());
        }
        return v1.putAllTags(remaining);
    }

    /** A non-negative gauge value as uint64; negative, NaN and fractions below one become 0. */
    private static long unsigned(GaugeValue value) {
        double v = value.getValue();
        return v > 0 ? (long) v : 0L;
    }
}
