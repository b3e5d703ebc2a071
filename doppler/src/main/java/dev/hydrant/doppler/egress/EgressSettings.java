package dev.hydrant.doppler.egress;

/**
 * Sizes of every egress subscriber.
 *
 * @param bufferSize       envelopes each subscriber's drop-oldest buffer holds
 * @param bufferBytes      bytes each subscriber's buffer holds at most
 * @param totalBufferBytes bytes all subscribers' buffers hold together at most: each may hold an equal share
 *                         of it when that is less than {@code bufferBytes} ({@link dev.hydrant.plumbing.buffer.ByteShares})
 * @param batchSize        envelopes sent at most per {@code EnvelopeBatch} (and per drain step)
 * @param writeBufferBytes bytes a subscriber's stream may hold queued for the network before it stops
 *                         being ready (gRPC's on-ready threshold; gRPC's own default is 32 KiB)
 */
public record EgressSettings(int bufferSize, long bufferBytes, long totalBufferBytes, int batchSize,
                             int writeBufferBytes) {

    public EgressSettings {
        if (bufferSize < 1 || bufferBytes < 1 || totalBufferBytes < 1 || batchSize < 1 || writeBufferBytes < 1) {
            throw new IllegalArgumentException("egress sizes must be positive: bufferSize=" + bufferSize
                    + ", bufferBytes=" + bufferBytes + ", totalBufferBytes=" + totalBufferBytes
                    + ", batchSize=" + batchSize + ", writeBufferBytes=" + writeBufferBytes);
        }
    }
}
