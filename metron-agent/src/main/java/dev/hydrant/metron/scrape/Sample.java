package dev.hydrant.metron.scrape;

import java.util.Map;

/**
 * One sample line of a Prometheus text exposition: a metric name, its labels, its value and the
 * kind of the family it belongs to.
 *
 * @param name        the sample's own name ({@code http_requests_total}, {@code rpc_duration_seconds_bucket})
 * @param labels      label names to values, unescaped, in the order written
 * @param value       the value; NaN and the infinities as written
 * @param timestampMs milliseconds since the epoch when the line carries one, else {@link #NO_TIMESTAMP}
 * @param kind        what the family's {@code # TYPE} line says it is
 */
public record Sample(String name, Map<String, String> labels, double value, long timestampMs, Kind kind) {

    /** {@link #timestampMs()} of a line without a timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** The metric types of the exposition format, 0.0.4. */
    public enum Kind {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED
    }
}
