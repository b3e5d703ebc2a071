package dev.hydrant.metron.containers;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples one container and makes the container-metric gauge of docs/wire.md section 1: {@code cpu}
 * (percentage of one core over the time since the previous sample, so it can pass 100 on several
 * cores), {@code memory}, {@code disk}, {@code memory_quota} and {@code disk_quota} (bytes), with the
 * app's source id and instance id. The first sample only sets the baseline of the CPU time. A
 * reading that fails is told to the caller, which counts it, and logged once per outage (when it starts and when
 * it ends), naming where the caller counts it.
 * Called from one thread at a time.
 */
public final class ContainerSampler {

    private static final Logger log = LoggerFactory.getLogger(ContainerSampler.class);

    private final Container container;
    private final String sourceId;
    private final String instanceId;
    private final Runnable onFailure;
    private final String countedIn;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private long previousCpuMicros = -1;
    private long previousNanos;
    private boolean failing;

    /**
     * @param onFailure told of every failed reading
     * @param countedIn where {@code onFailure} counts them, for the log: a meter ({@code container.metrics.failures})
     *                  or {@code ship}'s summary
     * @param nanoTime  monotonic time, for the CPU percentage ({@code System::nanoTime})
     */
    public ContainerSampler(Container container, String sourceId, String instanceId, Runnable onFailure,
                            String countedIn, Clock clock, LongSupplier nanoTime) {
        this.container = Objects.requireNonNull(container, "container");
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.countedIn = Objects.requireNonNull(countedIn, "countedIn");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** One sample: the container metric, or empty for the baseline and for a failed reading. */
    public Optional<Envelope> sample() {
        // the time of the reading is taken just before it: the CPU time is the first thing a container reads
        long now = nanoTime.getAsLong();
        Instant at = clock.instant();
        ContainerUsage usage;
        try {
            usage = container.read();
        } catch (IOException | RuntimeException e) {
            onFailure.run();
            if (!failing) {
                failing = true;
                log.warn("container metrics of {} ({}/{}) cannot be read: {}; failures are counted in {} and not logged "
                        + "again until it works", container.describe(), sourceId, instanceId, e.toString(), countedIn);
            }
            previousCpuMicros = -1;
            return Optional.empty();
        }
        if (failing) {
            failing = false;
            log.info("container metrics of {} ({}/{}) can be read again", container.describe(), sourceId, instanceId);
        }
        long previous = previousCpuMicros;
        long elapsedNanos = now - previousNanos;
        previousCpuMicros = usage.cpuMicros();
        previousNanos = now;
        if (previous < 0 || elapsedNanos <= 0) {
            return Optional.empty();
        }
        double cpu = Math.max(0, usage.cpuMicros() - previous) * 1_000.0 * 100.0 / elapsedNanos;
        return Optional.of(Envelope.newBuilder()
                .setSourceId(sourceId)
                .setInstanceId(instanceId)
                .setTimestamp(at.getEpochSecond() * 1_000_000_000L + at.getNano())
                .setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", value("percentage", cpu))
                        .putMetrics("memory", value("bytes", usage.memoryBytes()))
                        .putMetrics("disk", value("bytes", usage.diskBytes()))
                        .putMetrics("memory_quota", value("bytes", usage.memoryQuota()))
                        .putMetrics("disk_quota", value("bytes", usage.diskQuota())))
                .build());
    }

    private static GaugeValue value(String unit, double value) {
        return GaugeValue.newBuilder().setUnit(unit).setValue(value).build();
    }
}
