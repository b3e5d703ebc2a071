package dev.hydrant.nozzles.syslog.drain;

import org.cloudfoundry.loggregator.v2.Envelope;

/** What a binding's {@code drain-type} sends to the drain. */
public enum DrainType {
    /** Logs only (the default). */
    LOGS,
    /** Counters, gauges and timers. */
    METRICS,
    /** Every envelope, events too. */
    ALL;

    public boolean accepts(Envelope envelope) {
        return switch (this) {
            case LOGS -> envelope.hasLog();
            case METRICS -> envelope.hasCounter() || envelope.hasGauge() || envelope.hasTimer();
            case ALL -> true;
        };
    }

    /** From the API's {@code drain_type}: logs, metrics or all. */
    public static DrainType of(String value) {
        return switch (value) {
            case "logs" -> LOGS;
            case "metrics" -> METRICS;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("drain_type must be logs, metrics or all, was " + value);
        };
    }
}
