package dev.hydrant.nozzle.kafka;

import java.util.ArrayDeque;
import org.apache.kafka.common.TopicPartition;

/**
 * Where one assigned partition stands: the offsets read and not yet written (in order), the offset after the
 * last one read, and the offset last committed. What may be committed is the first offset not yet written:
 * every record before it is written or was skipped as corrupt. A new object each time the partition is
 * assigned, so records read under an earlier assignment are known by their stale progress. Used by the
 * source's poll thread only, except {@link #revoked()}.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final ArrayDeque<Long> unwritten = new ArrayDeque<>();
    private long next = -1;
    private long committed = -1;
    private volatile boolean revoked;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** A record handed on to be written. */
    void read(long offset) {
        skipped(offset);
        unwritten.addLast(offset);
    }

    /** A record that will not be written (corrupt): done as soon as those before it are. */
    void skipped(long offset) {
        if (committed < 0) {
            committed = offset;
        }
        next = offset + 1;
    }

    void written(long offset) {
        Long first = unwritten.peekFirst();
        if (first != null && first == offset) {
            unwritten.pollFirst();
        } else {
            unwritten.remove(offset);
        }
    }

    /** The offset to commit: every record before it is done. Negative when nothing was read yet. */
    long committable() {
        Long first = unwritten.peekFirst();
        return first != null ? first : next;
    }

    long committed() {
        return committed;
    }

    void committed(long offset) {
        committed = offset;
    }

    /** The partition went to another reader (or was lost): its records still here must not be written. */
    void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }
}
