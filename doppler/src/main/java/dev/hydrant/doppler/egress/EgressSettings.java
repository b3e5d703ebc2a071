package dev.hydrant.doppler.egress;

/**
 * Sizes of every egress subscriber.
 *
 * @param bufferSize envelopes each subscriber's drop-oldest buffer holds
 * @param batchSize  envelopes sent at most per {@code EnvelopeBatch} (and per drain step)
 */
public record EgressSettings(int bufferSize, int batchSize) {

    public EgressSettings {
        if (bufferSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("bufferSize and batchSize must be positive: "
                    + bufferSize + ", " + batchSize);
        }
    }
}
