package dev.hydrant.nozzle.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;

/** Settings of a {@link NozzleRuntime}, checked when set; immutable: every method returns a new builder. */
public final class NozzleRuntimeBuilder {

    /** Envelopes per sink write at most (docs/wire.md section 8: 100 per batch on every hop). */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** A smaller batch is written once this much time has passed (docs/wire.md section 8: 100 ms). */
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
    /** Envelopes held for the sink at most; the oldest are dropped beyond. */
    public static final int DEFAULT_BUFFER_SIZE = 10_000;
    /** Sink attempts per batch before it is dropped. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_RETRY_MIN_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);
    /** How long {@link NozzleRuntime#close()} keeps writing what is buffered. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final NozzleRuntimeSettings s;

    NozzleRuntimeBuilder(NozzleRuntimeSettings settings) {
        this.s = settings;
    }

    /** Names the runtime in metrics (tag {@code nozzle}), logs and its thread; default {@code nozzle}. */
    public NozzleRuntimeBuilder name(String name) {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return with(new NozzleRuntimeSettings(s.sink(), name, s.batchSize(), s.batchInterval(), s.bufferSize(),
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), s.shutdownTimeout(), s.registry()));
    }

    public NozzleRuntimeBuilder batchSize(int batchSize) {
        positive("batchSize", batchSize);
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), batchSize, s.batchInterval(), s.bufferSize(),
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), s.shutdownTimeout(), s.registry()));
    }

    public NozzleRuntimeBuilder batchInterval(Duration batchInterval) {
        positive("batchInterval", batchInterval);
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), s.batchSize(), batchInterval, s.bufferSize(),
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), s.shutdownTimeout(), s.registry()));
    }

    public NozzleRuntimeBuilder bufferSize(int bufferSize) {
        positive("bufferSize", bufferSize);
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), s.batchSize(), s.batchInterval(), bufferSize,
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), s.shutdownTimeout(), s.registry()));
    }

    /** Sink attempts per batch, with backoff from {@code minBackoff} doubling up to {@code maxBackoff}. */
    public NozzleRuntimeBuilder retry(int maxAttempts, Duration minBackoff, Duration maxBackoff) {
        positive("maxAttempts", maxAttempts);
        positive("minBackoff", minBackoff);
        positive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than minBackoff " + minBackoff);
        }
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), s.batchSize(), s.batchInterval(), s.bufferSize(),
                maxAttempts, minBackoff, maxBackoff, s.shutdownTimeout(), s.registry()));
    }

    public NozzleRuntimeBuilder shutdownTimeout(Duration shutdownTimeout) {
        positive("shutdownTimeout", shutdownTimeout);
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), s.batchSize(), s.batchInterval(), s.bufferSize(),
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), shutdownTimeout, s.registry()));
    }

    /** Where the metrics go; a private SimpleMeterRegistry by default. */
    public NozzleRuntimeBuilder meterRegistry(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return with(new NozzleRuntimeSettings(s.sink(), s.name(), s.batchSize(), s.batchInterval(), s.bufferSize(),
                s.maxAttempts(), s.retryMinBackoff(), s.retryMaxBackoff(), s.shutdownTimeout(), registry));
    }

    public NozzleRuntime build() {
        if (s.batchSize() > s.bufferSize()) {
            throw new IllegalArgumentException("batchSize " + s.batchSize() + " exceeds bufferSize " + s.bufferSize());
        }
        return new NozzleRuntime(s);
    }

    private NozzleRuntimeBuilder with(NozzleRuntimeSettings settings) {
        return new NozzleRuntimeBuilder(settings);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
