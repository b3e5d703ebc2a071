package dev.hydrant.metron.egress;

import java.time.Duration;
import java.util.Objects;

/**
 * How envelopes leave the agent for Dopplers.
 *
 * @param batchSize          envelopes per {@code EnvelopeBatch} at most
 * @param batchInterval      how long a worker waits for a full batch before sending what it has
 * @param streamMaxAge       a {@code BatchSender} stream is closed and replaced after this long ...
 * @param streamMaxEnvelopes ... or after carrying this many envelopes, whichever comes first
 * @param responseTimeout    how long a closed stream may wait for the Doppler's confirmation
 * @param backoffInitial     first wait after a failed connection
 * @param backoffMax         longest wait between connection attempts
 * @param streamsPerDoppler  concurrent streams (and worker threads) per Doppler address
 */
public record EgressSettings(int batchSize, Duration batchInterval, Duration streamMaxAge, int streamMaxEnvelopes,
                             Duration responseTimeout, Duration backoffInitial, Duration backoffMax,
                             int streamsPerDoppler) {

    public EgressSettings {
        if (batchSize < 1 || streamMaxEnvelopes < 1 || streamsPerDoppler < 1) {
            throw new IllegalArgumentException("batchSize, streamMaxEnvelopes and streamsPerDoppler must be positive");
        }
        Objects.requireNonNull(batchInterval, "batchInterval");
        Objects.requireNonNull(streamMaxAge, "streamMaxAge");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
    }
}
