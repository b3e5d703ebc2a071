package dev.hydrant.nozzle.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a lost stream is reopened: exponential backoff from {@code minBackoff} up to {@code maxBackoff},
 * each wait randomised by {@code jitter} (0 to 1), reset once a stream is open again. A stream that
 * shows no sign of life (no data, heartbeat or ping) for {@code idleTimeout} is taken for dead, and one
 * the server has not accepted within {@code connectTimeout} (token, connection, TLS and the server's
 * answer) is given up and tried again.
 *
 * @param minBackoff  first wait after a failure
 * @param maxBackoff  longest wait between attempts
 * @param jitter      share of each wait that is random
 * @param idleTimeout silence after which an SSE or websocket stream is dead (SSE heartbeats every 15 s,
 *                    websocket pings every 30 s); gRPC relies on HTTP/2 keep-alive pings instead
 * @param connectTimeout longest wait for the server to accept a stream, on every transport
 */
public record ReconnectPolicy(Duration minBackoff, Duration maxBackoff, double jitter, Duration idleTimeout,
                              Duration connectTimeout) {

    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(15);
    public static final double DEFAULT_JITTER = 0.5;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(65);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public ReconnectPolicy {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (minBackoff.isNegative() || minBackoff.isZero()) {
            throw new IllegalArgumentException("minBackoff must be positive (never a tight loop), was " + minBackoff);
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than minBackoff " + minBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
    }

    /** With the default connect timeout. */
    public ReconnectPolicy(Duration minBackoff, Duration maxBackoff, double jitter, Duration idleTimeout) {
        this(minBackoff, maxBackoff, jitter, idleTimeout, DEFAULT_CONNECT_TIMEOUT);
    }

    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(DEFAULT_MIN_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT);
    }
}
