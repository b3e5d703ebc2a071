package dev.hydrant.api.convert;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.cloudfoundry.dropsonde.events.ErrorFactory;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.HttpFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;

/** v1 to v2; see {@link V1Conversion#toV2}. */
final class ToV2 {

    private ToV2() {
    }

    static Optional<Envelope> convert(EventFactory.Envelope v1) {
        if (!v1.hasEventType()) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>(v1.getTagsMap());
        String taggedSourceId = tags.remove(EnvelopeTags.SOURCE_ID);
        putIfNotEmpty(tags, EnvelopeTags.ORIGIN, v1.getOrigin());
        putIfNotEmpty(tags, EnvelopeTags.DEPLOYMENT, v1.getDeployment());
        putIfNotEmpty(tags, EnvelopeTags.JOB, v1.getJob());
        putIfNotEmpty(tags, EnvelopeTags.INDEX, v1.getIndex());
        putIfNotEmpty(tags, EnvelopeTags.IP, v1.getIp());

        Envelope.Builder v2 = Envelope.newBuilder()
                .setTimestamp(v1.getTimestamp())
                .setSourceId(isEmpty(taggedSourceId) ? componentSourceId(v1) : taggedSourceId)
                .setInstanceId(v1.getIndex())
                .putAllTags(tags);
        switch (v1.getEventType()) {
            case LogMessage:
                return v1.hasLogMessage() ? Optional.of(log(v1, v2)) : Optional.empty();
            case ValueMetric:
                return v1.hasValueMetric() ? Optional.of(valueMetric(v1.getValueMetric(), v2)) : Optional.empty();
            case CounterEvent:
                return v1.hasCounterEvent() ? Optional.of(counter(v1.getCounterEvent(), v2)) : Optional.empty();
            case ContainerMetric:
                return v1.hasContainerMetric()
                        ? Optional.of(containerMetric(v1.getContainerMetric(), v2)) : Optional.empty();
            case HttpStartStop:
                return v1.hasHttpStartStop() ? Optional.of(http(v1.getHttpStartStop(), v2)) : Optional.empty();
            case Error:
                return v1.hasError() ? Optional.of(error(v1.getError(), v2)) : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static Envelope log(EventFactory.Envelope v1, Envelope.Builder v2) {
        LogFactory.LogMessage message = v1.getLogMessage();
        setAppId(v2, message.getAppId());
        if (message.hasSourceInstance()) {
            v2.setInstanceId(message.getSourceInstance());
        }
        if (v1.getTimestamp() == 0) {
            v2.setTimestamp(message.getTimestamp());
        }
        if (message.hasSourceType()) {
            v2.putTags(EnvelopeTags.SOURCE_TYPE, message.getSourceType());
        }
        return v2.setLog(Log.newBuilder()
                        .setPayload(message.getMessage())
                        .setType(message.getMessageType() == LogFactory.LogMessage.MessageType.ERR
                                ? Log.Type.ERR : Log.Type.OUT))
                .build();
    }

    private static Envelope valueMetric(MetricFactory.ValueMetric metric, Envelope.Builder v2) {
        return v2.setGauge(Gauge.newBuilder().putMetrics(metric.getName(),
                        GaugeValue.newBuilder().setUnit(metric.getUnit()).setValue(metric.getValue()).build()))
                .build();
    }

    private static Envelope counter(MetricFactory.CounterEvent counter, Envelope.Builder v2) {
        return v2.setCounter(Counter.newBuilder()
                        .setName(counter.getName())
                        .setDelta(counter.getDelta())
                        .setTotal(counter.getTotal()))
                .build();
    }

    private static Envelope containerMetric(MetricFactory.ContainerMetric metric, Envelope.Builder v2) {
        setAppId(v2, metric.getApplicationId());
        v2.setInstanceId(Integer.toString(metric.getInstanceIndex()));
        return v2.setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", gauge("percentage", metric.getCpuPercentage()))
                        .putMetrics("memory", gauge("bytes", unsigned(metric.getMemoryBytes())))
                        .putMetrics("disk", gauge("bytes", unsigned(metric.getDiskBytes())))
                        .putMetrics("memory_quota", gauge("bytes", unsigned(metric.getMemoryBytesQuota())))
                        .putMetrics("disk_quota", gauge("bytes", unsigned(metric.getDiskBytesQuota()))))
                .build();
    }

    private static Envelope http(HttpFactory.HttpStartStop http, Envelope.Builder v2) {
        if (http.hasApplicationId()) {
            setAppId(v2, DropsondeUuid.fromV1(http.getApplicationId()).toString());
        }
        if (http.hasInstanceIndex()) {
            v2.setInstanceId(Integer.toString(http.getInstanceIndex()));
        }
        HttpConversion.toV2(http, v2);
        return v2.build();
    }

    private static Envelope error(ErrorFactory.Error error, Envelope.Builder v2) {
        return v2.putTags(EnvelopeTags.ERROR_CODE, Integer.toString(error.getCode()))
                .setEvent(Event.newBuilder().setTitle(error.getSource()).setBody(error.getMessage()))
                .build();
    }

    /** {@code deployment/job}, or the origin when the envelope names neither. */
    private static String componentSourceId(EventFactory.Envelope v1) {
        if (v1.getDeployment().isEmpty() && v1.getJob().isEmpty()) {
            return v1.getOrigin();
        }
        return v1.getDeployment() + "/" + v1.getJob();
    }

    /** App logs and app metrics belong to the app: its id is the source id, as in Loggregator. */
    private static void setAppId(Envelope.Builder v2, String appId) {
        if (!appId.isEmpty()) {
            v2.setSourceId(appId);
        }
    }

    private static GaugeValue gauge(String unit, double value) {
        return GaugeValue.newBuilder().setUnit(unit).setValue(value).build();
    }

    /** uint64 to double without turning values of 2^63 and above negative. */
    private static double unsigned(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0;
    }

    private static void putIfNotEmpty(Map<String, String> tags, String key, String value) {
        if (!value.isEmpty()) {
            tags.put(key, value);
        }
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
