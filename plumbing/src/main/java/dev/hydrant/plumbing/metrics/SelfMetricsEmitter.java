package dev.hydrant.plumbing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits a component's own metrics into the pipe, as Loggregator components do: every interval,
 * each named counter becomes a v2 Counter envelope (delta since the last emission and total)
 * and each named gauge a v2 Gauge envelope, with the meter's tags as envelope tags. The
 * envelopes are handed to the component's own ingress, so the firehose carries them.
 */
public final class SelfMetricsEmitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SelfMetricsEmitter.class);

    private final MeterRegistry registry;
    private final List<String> meterNames;
    private final String sourceId;
    private final String instanceId;
    private final Map<String, String> tags;
    private final Consumer<List<Envelope>> sink;
    private final Clock clock;
    private final Map<Meter.Id, Long> lastTotals = new HashMap<>();
    private final ScheduledExecutorService scheduler;

    /**
     * @param meterNames the meters to emit, by name; others (JVM, HTTP) stay in Prometheus only
     * @param sourceId   the component's source id, for example {@code doppler}
     * @param tags       tags put on every envelope (origin, deployment, job, ...)
     * @param sink       the component's own ingress; called on the emitter's thread
     */
    public SelfMetricsEmitter(MeterRegistry registry, List<String> meterNames, String sourceId, String instanceId,
                              Map<String, String> tags, Consumer<List<Envelope>> sink, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.meterNames = List.copyOf(meterNames);
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.tags = Map.copyOf(tags);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, sourceId + "-self-metrics");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts emitting every {@code interval}. */
    public SelfMetricsEmitter start(Duration interval) {
        long millis = interval.toMillis();
        scheduler.scheduleAtFixedRate(this::emitSafely, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void emitSafely() {
        try {
            emit();
        } catch (RuntimeException e) {
            log.warn("could not emit self-metrics", e);
        }
    }

    /** Builds and hands over one round of envelopes now. */
    public synchronized void emit() {
        long nanos = clock.millis() * 1_000_000L;
        List<Envelope> envelopes = new ArrayList<>();
        for (String name : meterNames) {
            for (Meter meter : registry.find(name).meters()) {
                Envelope envelope = toEnvelope(meter, nanos);
                if (envelope != null) {
                    envelopes.add(envelope);
                }
            }
        }
        if (!envelopes.isEmpty()) {
            sink.accept(envelopes);
        }
    }

    private Envelope toEnvelope(Meter meter, long nanos) {
        Envelope.Builder builder = Envelope.newBuilder()
                .setTimestamp(nanos)
                .setSourceId(sourceId)
                .setInstanceId(instanceId)
                .putAllTags(tags);
        for (Tag tag : meter.getId().getTags()) {
            builder.putTags(tag.getKey(), tag.getValue());
        }
        String name = meter.getId().getName();
        if (meter instanceof Counter || meter instanceof FunctionCounter) {
            long total = (long) (meter instanceof Counter c ? c.count() : ((FunctionCounter) meter).count());
            long previous = lastTotals.getOrDefault(meter.getId(), 0L);
            lastTotals.put(meter.getId(), total);
            builder.getCounterBuilder().setName(name).setDelta(Math.max(0, total - previous)).setTotal(total);
            return builder.build();
        }
        if (meter instanceof Gauge gauge) {
            String unit = gauge.getId().getBaseUnit() == null ? "" : gauge.getId().getBaseUnit();
            builder.getGaugeBuilder().putMetrics(name, GaugeValue.newBuilder().setUnit(unit).setValue(gauge.value()).build());
            return builder.build();
        }
        return null;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
