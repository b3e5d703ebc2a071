package dev.hydrant.nozzles.syslog.format;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Writes an envelope as the RFC 5424 messages Loggregator sends to a syslog drain (docs/wire.md section 7):
 * {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - SD MSG}. Stateless and thread-safe; never throws for an
 * envelope: one that cannot be a valid message comes back {@link SyslogMessages#valid() invalid}.
 */
public final class SyslogFormatter {

    /** user.info: logs on stdout and every metric. */
    static final int PRI_INFO = 14;
    /** user.err: logs on stderr. */
    static final int PRI_ERR = 11;

    static final String ORGANIZATION_NAME = "organization_name";
    static final String SPACE_NAME = "space_name";
    static final String APP_NAME = "app_name";
    static final String SOURCE_TYPE = "source_type";

    private static final byte[] EMPTY = new byte[0];

    /**
     * @param envelope        what to write
     * @param disableMetadata the binding's {@code disable-metadata=true}: no tags element
     */
    public SyslogMessages format(Envelope envelope, boolean disableMetadata) {
        if (envelope.getSourceId().indexOf(' ') >= 0 || envelope.getInstanceId().indexOf(' ') >= 0
                || !StructuredData.validKeys(envelope.getTagsMap())) {
            return SyslogMessages.INVALID;
        }
        String tags = disableMetadata ? "" : StructuredData.tags(envelope.getTagsMap());
        switch (envelope.getMessageCase()) {
            case LOG -> {
                Log log = envelope.getLog();
                int pri = log.getType() == Log.Type.ERR ? PRI_ERR : PRI_INFO;
                return one(header(envelope, pri, logProcId(envelope)), tags, payload(log.getPayload()));
            }
            case COUNTER -> {
                var counter = envelope.getCounter();
                String sd = StructuredData.element("counter", "name", counter.getName(),
                        "total", Long.toUnsignedString(counter.getTotal()),
                        "delta", Long.toUnsignedString(counter.getDelta()));
                return one(header(envelope, PRI_INFO, metricProcId(envelope)), sd + tags, EMPTY);
            }
            case GAUGE -> {
                String header = header(envelope, PRI_INFO, metricProcId(envelope));
                List<byte[]> messages = new ArrayList<>();
                List<Map.Entry<String, GaugeValue>> metrics = new ArrayList<>(envelope.getGauge().getMetricsMap().entrySet());
                metrics.sort(Map.Entry.comparingByKey());
                for (Map.Entry<String, GaugeValue> metric : metrics) {
                    String sd = StructuredData.element("gauge", "name", metric.getKey(),
                            "value", GoFloat.format(metric.getValue().getValue()), "unit", metric.getValue().getUnit());
                    messages.add(message(header, sd + tags, EMPTY));
                }
                return new SyslogMessages(messages, true);
            }
            case TIMER -> {
                var timer = envelope.getTimer();
                String sd = StructuredData.element("timer", "name", timer.getName(),
                        "start", Long.toString(timer.getStart()), "stop", Long.toString(timer.getStop()));
                return one(header(envelope, PRI_INFO, metricProcId(envelope)), sd + tags, EMPTY);
            }
            case EVENT -> {
                var event = envelope.getEvent();
                String sd = StructuredData.element("event", "title", event.getTitle(), "body", event.getBody());
                return one(header(envelope, PRI_INFO, metricProcId(envelope)), sd + tags, EMPTY);
            }
            default -> {
                return SyslogMessages.INVALID;
            }
        }
    }

    private static SyslogMessages one(String header, String sd, byte[] msg) {
        return new SyslogMessages(List.of(message(header, sd, msg)), true);
    }

    /** header + " " + (SD or "-") + " " + MSG, with a final newline unless MSG already ends with one. */
    private static byte[] message(String header, String sd, byte[] msg) {
        byte[] head = (header + ' ' + (sd.isEmpty() ? "-" : sd) + ' ').getBytes(StandardCharsets.UTF_8);
        boolean newline = msg.length == 0 || msg[msg.length - 1] != '\n';
        byte[] out = new byte[head.length + msg.length + (newline ? 1 : 0)];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(msg, 0, out, head.length, msg.length);
        if (newline) {
            out[out.length - 1] = '\n';
        }
        return out;
    }

    /** {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID -}. */
    private static String header(Envelope envelope, int pri, String procId) {
        StringBuilder out = new StringBuilder(128);
        out.append('<').append(pri).append(">1 ");
        SyslogTimestamp.append(envelope.getTimestamp(), out);
        out.append(' ').append(hostname(envelope.getTagsMap()))
                .append(' ').append(SyslogNames.appName(envelope.getSourceId()))
                .append(' ').append(procId)
                .append(" -");
        return out.toString();
    }

    /** org.space.app from the tags when any of them is there; '-' otherwise (bindings carry no host name). */
    private static String hostname(Map<String, String> tags) {
        if (!tags.containsKey(ORGANIZATION_NAME) && !tags.containsKey(SPACE_NAME) && !tags.containsKey(APP_NAME)) {
            return "-";
        }
        return SyslogNames.hostPart(tags.getOrDefault(ORGANIZATION_NAME, "")) + '.'
                + SyslogNames.hostPart(tags.getOrDefault(SPACE_NAME, "")) + '.'
                + SyslogNames.hostPart(tags.getOrDefault(APP_NAME, ""));
    }

    private static String logProcId(Envelope envelope) {
        String sourceType = SyslogNames.sourceType(envelope.getTagsMap().getOrDefault(SOURCE_TYPE, ""));
        String instance = envelope.getInstanceId();
        if (sourceType.isEmpty() && instance.isEmpty()) {
            return "[]";
        }
        return "[" + sourceType + "/" + instance + "]";
    }

    private static String metricProcId(Envelope envelope) {
        return "[" + envelope.getInstanceId() + "]";
    }

    /** The log payload without NUL bytes; anything else, invalid UTF-8 and newlines too, as it is. */
    private static byte[] payload(ByteString payload) {
        byte[] bytes = payload.toByteArray();
        int nuls = 0;
        for (byte b : bytes) {
            if (b == 0) {
                nuls++;
            }
        }
        if (nuls == 0) {
            return bytes;
        }
        byte[] out = new byte[bytes.length - nuls];
        int i = 0;
        for (byte b : bytes) {
            if (b != 0) {
                out[i++] = b;
            }
        }
        return out;
    }
}
