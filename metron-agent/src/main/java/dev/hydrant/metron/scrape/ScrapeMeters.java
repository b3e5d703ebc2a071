package dev.hydrant.metron.scrape;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of the scraper, declared and described here; rows of the metrics table of
 * {@code metron-agent/README.md} (a test holds it to that).
 *
 * <table>
 * <caption>scrape meters</caption>
 * <tr><td>{@code scrape.failures{instance_id,source_id}}</td><td>counter</td><td>scrapes of a target that failed: not reached, not answering 200 in time, a body over max-body-size, or not the text format</td></tr>
 * </table>
 */
public final class ScrapeMeters {

    private ScrapeMeters() {
    }

    /** {@code scrape.failures} of one target. */
    public static Counter failures(MeterRegistry registry, String sourceId, String instanceId) {
        return Counter.builder("scrape.failures")
                .tag("source_id", sourceId)
                .tag("instance_id", instanceId)
                .description("Scrapes of a target that failed: not reached, not answering 200 in time, "
                        + "a body over max-body-size, or not the text format")
                .register(registry);
    }
}
