package dev.hydrant.nozzles.syslog.drain;

import java.time.Duration;
import java.util.Objects;

/**
 * What every drain writer is built with.
 *
 * @param bufferSize     messages one drain holds at most; beyond, the oldest are dropped (and counted)
 * @param batchSize      messages one write takes at most
 * @param minBackoff     first wait after a failed connect or write
 * @param maxBackoff     longest wait between attempts (docs/wire.md section 7: 15 s)
 * @param connectTimeout a connect, TLS handshake or HTTPS request not done by then has failed
 * @param addresses      which addresses drains may connect to
 */
public record DrainSettings(int bufferSize, int batchSize, Duration minBackoff, Duration maxBackoff,
                            Duration connectTimeout, AddressPolicy addresses) {

    public DrainSettings {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(addresses, "addresses");
        if (bufferSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("bufferSize and batchSize must be at least 1");
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive, max at least min");
        }
    }
}
