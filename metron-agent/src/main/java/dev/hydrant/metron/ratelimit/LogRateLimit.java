package dev.hydrant.metron.ratelimit;

/**
 * A per-app log rate limit: at most {@code perSecond} log lines, or log bytes (the payload of a Log
 * envelope), per second for each source id and instance id.
 *
 * @param perSecond the limit, positive
 * @param unit      what is counted
 */
public record LogRateLimit(long perSecond, Unit unit) {

    /** What the limit counts. */
    public enum Unit { LINES, BYTES }

    public LogRateLimit {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be positive, was " + perSecond);
        }
        if (unit == null) {
            throw new IllegalArgumentException("unit");
        }
    }

    /**
     * What the app is told in its own log, worded as Cloud Foundry's Diego executor words it.
     */
    public String notice() {
        return unit == Unit.BYTES
                ? "app instance exceeded log rate limit (" + perSecond + " bytes/sec)"
                : "app instance exceeded log rate limit (" + perSecond + " log-lines/sec) set by platform operator";
    }
}
