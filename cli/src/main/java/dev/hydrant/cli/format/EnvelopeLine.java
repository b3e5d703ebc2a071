package dev.hydrant.cli.format;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Timer;

/**
 * Any envelope as one readable line for {@code hydrant firehose}, prefixed by its source id:
 * <pre>
 * app-guid 2026-11-21T10:00:00.00+0000 [APP/PROC/WEB/0] OUT message
 * app-guid 2026-11-21T10:00:00.00+0000 [0] COUNTER requests delta=3 total=10
 * app-guid 2026-11-21T10:00:00.00+0000 [0] GAUGE cpu=12.5 percentage, memory=1048576 bytes
 * gorouter 2026-11-21T10:00:00.00+0000 [RTR/1] TIMER http 12.345 ms
 * doppler 2026-11-21T10:00:00.00+0000 EVENT slow consumer: disconnected 10.0.0.1
 * </pre>
 * The bracket holds the source type and instance id when the envelope has them.
 */
public final class EnvelopeLine {

    private final LogLine logs;

    public EnvelopeLine(LogLine logs) {
        this.logs = Objects.requireNonNull(logs, "logs");
    }

    public String format(Envelope envelope) {
        if (envelope.hasLog()) {
            return envelope.getSourceId() + " " + logs.format(envelope);
        }
        String origin = LogLine.origin(envelope);
        String head = envelope.getSourceId() + " " + logs.timestamp(envelope.getTimestamp())
                + (origin.isEmpty() ? "" : " [" + origin + "]") + " ";
        return switch (envelope.getMessageCase()) {
            case COUNTER -> head + counter(envelope.getCounter());
            case GAUGE -> head + gauge(envelope.getGauge().getMetricsMap());
            case TIMER -> head + timer(envelope.getTimer());
            case EVENT -> head + "EVENT " + envelope.getEvent().getTitle() + ": " + envelope.getEvent().getBody();
            case LOG, MESSAGE_NOT_SET -> head + "EMPTY";
        };
    }

    private static String counter(Counter counter) {
        return "COUNTER " + counter.getName() + " delta=" + Long.toUnsignedString(counter.getDelta())
                + " total=" + Long.toUnsignedString(counter.getTotal());
    }

    private static String gauge(Map<String, GaugeValue> metrics) {
        StringBuilder line = new StringBuilder("GAUGE");
        String separator = " ";
        for (Map.Entry<String, GaugeValue> metric : new TreeMap<>(metrics).entrySet()) {
            line.append(separator).append(metric.getKey()).append('=').append(number(metric.getValue().getValue()));
            if (!metric.getValue().getUnit().isEmpty()) {
                line.append(' ').append(metric.getValue().getUnit());
            }
            separator = ", ";
        }
        return line.toString();
    }

    private static String timer(Timer timer) {
        double millis = (timer.getStop() - timer.getStart()) / 1_000_000.0;
        return "TIMER " + timer.getName() + " " + String.format(java.util.Locale.ROOT, "%.3f", millis) + " ms";
    }

    /** Whole numbers without a fraction, others as Java prints doubles. */
    static String number(double value) {
        if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
