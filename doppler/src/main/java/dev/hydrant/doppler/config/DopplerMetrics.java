package dev.hydrant.doppler.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every metric the doppler defines. Prometheus shows counters with a {@code _total} suffix and
 * dots as underscores; the meters in {@link #EMITTED} also go into the pipe as the doppler's own
 * envelopes.
 *
 * @param ingress       {@code ingress}: envelopes received from emitters (Sender, BatchSender, Send)
 * @param egress        {@code egress}: envelopes sent to egress subscribers
 * @param droppedEgress {@code dropped{direction=egress}}: envelopes lost in subscriber buffers (the
 *                      oldest pushed out when a subscriber's buffer is full, and what was still
 *                      buffered when its stream closed). The doppler drops nothing at ingress, so
 *                      there is no {@code direction=ingress} series.
 */
public record DopplerMetrics(Counter ingress, Counter egress, Counter droppedEgress) {

    /** Names of the meters emitted as self-metric envelopes. */
    public static final List<String> EMITTED = List.of("ingress", "egress", "dropped", "subscriptions",
            "subscriber.buffer.fill", "cache.sources", "cache.bytes");

    public static DopplerMetrics register(MeterRegistry registry) {
        return new DopplerMetrics(
                Counter.builder("ingress").description("Envelopes received from emitters")
                        .register(registry),
                Counter.builder("egress").description("Envelopes sent to egress subscribers")
                        .register(registry),
                Counter.builder("dropped").tag("direction", "egress")
                        .description("Envelopes lost in subscriber buffers").register(registry));
    }

    /**
     * Registers the gauges that read the pipeline's state:
     * {@code subscriptions} (open egress streams), {@code subscriber.buffer.fill} (envelopes waiting
     * in all subscriber buffers), {@code cache.sources} (source ids in the recent-envelope cache) and
     * {@code cache.bytes} (serialized bytes in it).
     */
    public static void registerGauges(MeterRegistry registry, Supplier<Number> subscriptions,
                                      Supplier<Number> bufferFill, Supplier<Number> cacheSources,
                                      Supplier<Number> cacheBytes) {
        Gauge.builder("subscriptions", subscriptions).description("Open egress streams").register(registry);
        Gauge.builder("subscriber.buffer.fill", bufferFill)
                .description("Envelopes waiting in all subscriber buffers").register(registry);
        Gauge.builder("cache.sources", cacheSources).description("Source ids in the recent-envelope cache")
                .register(registry);
        Gauge.builder("cache.bytes", cacheBytes).description("Serialized bytes in the recent-envelope cache")
                .baseUnit("bytes").register(registry);
    }
}
