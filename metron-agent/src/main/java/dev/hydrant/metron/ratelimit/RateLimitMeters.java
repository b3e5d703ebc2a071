package dev.hydrant.metron.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of the per-app log rate limit, declared and described here; rows of the metrics table
 * of {@code metron-agent/README.md} (a test holds it to that). None is tagged by source id: the
 * number of apps is unbounded, and each app is told in its own log. Registered also when there is no limit.
 *
 * <table>
 * <caption>rate limit meters</caption>
 * <tr><td>{@code dropped{direction=rate_limit}}</td><td>counter</td><td>log envelopes dropped because their app instance was over its log rate limit</td></tr>
 * <tr><td>{@code rate_limit.notices}</td><td>counter</td><td>"app instance exceeded log rate limit" logs sent to apps: one per instance and second over the limit</td></tr>
 * <tr><td>{@code rate_limit.resets}</td><td>counter</td><td>times the map of app instances was cleared because max-sources instances were all active</td></tr>
 * </table>
 *
 * @param dropped {@code dropped{direction=rate_limit}}
 * @param notices {@code rate_limit.notices}
 * @param resets  {@code rate_limit.resets}
 */
public record RateLimitMeters(Counter dropped, Counter notices, Counter resets) {

    /** Registers the meters. */
    public static RateLimitMeters register(MeterRegistry registry) {
        return new RateLimitMeters(
                Counter.builder("dropped").tag("direction", "rate_limit")
                        .description("Log envelopes dropped because their app instance was over its log rate limit")
                        .register(registry),
                Counter.builder("rate_limit.notices")
                        .description("\"app instance exceeded log rate limit\" logs sent to apps: "
                                + "one per instance and second over the limit")
                        .register(registry),
                Counter.builder("rate_limit.resets")
                        .description("Times the map of app instances was cleared because max-sources instances "
                                + "were all active")
                        .register(registry));
    }
}
