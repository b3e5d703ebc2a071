package dev.hydrant.metron.scrape;

import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;

/**
 * Turns the samples of one scrape into v2 envelopes of the target's source and instance id, the
 * labels as tags: a counter becomes a Counter whose {@code total} is the value (truncated to a whole
 * number, as the wire's total is an unsigned integer; a negative or not finite counter is skipped),
 * everything else a one-metric Gauge of the sample's name with an empty unit: gauges and untyped
 * samples as they are, histograms and summaries as gauges of their parts ({@code _bucket} with its
 * {@code le} tag, {@code _sum}, {@code _count}, each quantile with its {@code quantile} tag).
 * The timestamp is the sample's own when it has one, else the time of the scrape.
 */
public final class ScrapeEnvelopes {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private ScrapeEnvelopes() {
    }

    /** The envelopes of {@code samples}, in order; {@code scrapedAtNanos} stamps those without a timestamp. */
    public static List<Envelope> of(List<Sample> samples, String sourceId, String instanceId, long scrapedAtNanos) {
        List<Envelope> envelopes = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            Envelope.Builder envelope = Envelope.newBuilder()
                    .setSourceId(sourceId)
                    .setInstanceId(instanceId)
                    .setTimestamp(sample.timestampMs() == Sample.NO_TIMESTAMP ? scrapedAtNanos
                            : sample.timestampMs() * NANOS_PER_MILLI)
                    .putAllTags(sample.labels());
            if (sample.kind() == Sample.Kind.COUNTER) {
                if (!(sample.value() >= 0) || Double.isInfinite(sample.value())) {
                    continue;
                }
                envelope.setCounter(Counter.newBuilder().setName(sample.name()).setTotal((long) sample.value()));
            } else {
                envelope.setGauge(Gauge.newBuilder().putMetrics(sample.name(),
                        GaugeValue.newBuilder().setUnit("").setValue(sample.value()).build()));
            }
            envelopes.add(envelope.build());
        }
        return envelopes;
    }
}
