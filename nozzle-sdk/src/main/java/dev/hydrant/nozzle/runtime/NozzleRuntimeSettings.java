package dev.hydrant.nozzle.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** What a {@link NozzleRuntimeBuilder} collects; defaults in {@link NozzleRuntimeBuilder}. */
record NozzleRuntimeSettings(NozzleSink sink, String name, int batchSize, Duration batchInterval, int bufferSize,
                             int maxAttempts, Duration retryMinBackoff, Duration retryMaxBackoff,
                             Duration shutdownTimeout, MeterRegistry registry) {

    static NozzleRuntimeSettings defaults(NozzleSink sink) {
        return new NozzleRuntimeSettings(sink, "nozzle", NozzleRuntimeBuilder.DEFAULT_BATCH_SIZE,
                NozzleRuntimeBuilder.DEFAULT_BATCH_INTERVAL, NozzleRuntimeBuilder.DEFAULT_BUFFER_SIZE,
                NozzleRuntimeBuilder.DEFAULT_MAX_ATTEMPTS, NozzleRuntimeBuilder.DEFAULT_RETRY_MIN_BACKOFF,
                NozzleRuntimeBuilder.DEFAULT_RETRY_MAX_BACKOFF, NozzleRuntimeBuilder.DEFAULT_SHUTDOWN_TIMEOUT,
                new SimpleMeterRegistry());
    }
}
