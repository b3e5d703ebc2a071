package dev.hydrant.standalone.shipper;

import dev.hydrant.plumbing.tls.TlsFiles;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a child process's output is shipped.
 *
 * @param app           who the lines belong to
 * @param metron        Metron's v2 ingress, {@code host:port}
 * @param tls           the shipper's client certificate, key and the CA Metron's certificate chains to
 * @param bufferSize    lines waiting for Metron at most; beyond, the oldest is dropped (counted)
 * @param batchSize     lines per request to Metron at most
 * @param batchInterval a batch leaves after this long even when not full
 * @param flushTimeout  how long the shipper keeps sending what it holds once the child has ended
 * @param command       the child process: program and arguments
 * @param containerMetricsInterval how often the app's container metrics (cpu, memory, disk and quotas) are sent;
 *                      zero sends none
 */
public record ShipperSettings(AppInstance app, String metron, TlsFiles tls, int bufferSize, int batchSize,
                              Duration batchInterval, Duration flushTimeout, List<String> command,
                              Duration containerMetricsInterval) {

    /** Metron's ingress on this host (docs/wire.md section 8). */
    public static final String DEFAULT_METRON = "127.0.0.1:3458";
    /** Lines held at most while Metron is slow or away. */
    public static final int DEFAULT_BUFFER_SIZE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /** As Cloud Foundry's cells emit container metrics. */
    public static final Duration DEFAULT_CONTAINER_METRICS_INTERVAL = Duration.ofSeconds(15);

    public ShipperSettings {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(metron, "metron");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(batchInterval, "batchInterval");
        Objects.requireNonNull(flushTimeout, "flushTimeout");
        Objects.requireNonNull(containerMetricsInterval, "containerMetricsInterval");
        if (containerMetricsInterval.isNegative()) {
            throw new IllegalArgumentException("the container metrics interval must not be negative");
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("name the command to run");
        }
        if (bufferSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("buffer and batch sizes must be at least 1");
        }
    }

    /** The settings with the default container metrics interval. */
    public ShipperSettings(AppInstance app, String metron, TlsFiles tls, int bufferSize, int batchSize,
                           Duration batchInterval, Duration flushTimeout, List<String> command) {
        this(app, metron, tls, bufferSize, batchSize, batchInterval, flushTimeout, command,
                DEFAULT_CONTAINER_METRICS_INTERVAL);
    }

    /** The defaults of docs/wire.md section 8 for {@code app} and {@code command}, to Metron on this host. */
    public static ShipperSettings defaults(AppInstance app, TlsFiles tls, List<String> command) {
        return new ShipperSettings(app, DEFAULT_METRON, tls, DEFAULT_BUFFER_SIZE, DEFAULT_BATCH_SIZE,
                DEFAULT_BATCH_INTERVAL, DEFAULT_FLUSH_TIMEOUT, command);
    }

    public ShipperSettings withMetron(String target) {
        return new ShipperSettings(app, target, tls, bufferSize, batchSize, batchInterval, flushTimeout, command,
                containerMetricsInterval);
    }

    public ShipperSettings withContainerMetricsInterval(Duration interval) {
        return new ShipperSettings(app, metron, tls, bufferSize, batchSize, batchInterval, flushTimeout, command, interval);
    }
}
