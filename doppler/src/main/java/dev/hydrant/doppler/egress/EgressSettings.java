package dev.hydrant.doppler.egress;

/**
 * Sizes of every egress subscriber.
 *
 * @param bufferSize envelopes each subscriber's drop-oldest buffer holds
 * @param batchSize  envelopes sent at most per {@code EnvelopeBatch} (and per drain step)
 * @param writeBufferBytes bytes a subscriber's stream may hold queued for the network before it stops
 *                   being ready (gRPC's on-ready threshold; gRPC's own default is 32 KiB)
 */
public record EgressSettings(int bufferSize, int batchSize, int writeBufferBytes) {

    public EgressSettings {
        if (bufferSize < 1 || batchSize < 1 || writeBufferBytes < 1) {
            throw new IllegalArgumentException("bufferSize, batchSize and writeBufferBytes must be positive: "
                    + bufferSize + ", " + batchSize + ", " + writeBufferBytes);
        }
    }
}
