package dev.hydrant.plumbing.buffer;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.function.Predicate;

/**
 * Bounds one batch of messages in bytes, as a {@link DropOldestBuffer#drainTo(java.util.Collection, int,
 * Predicate)} admission: it admits messages while the batch they make stays within its limit, and a
 * message that alone is bigger than the limit only as the first of a batch, so it travels alone.
 *
 * <p>It counts what each message adds to a repeated message field such as {@code EnvelopeBatch.batch}
 * (the message's serialized size, which protobuf computes once per message and keeps, plus its tag and
 * length), so the bytes it counts are the serialized size of the batch message. One instance serves one
 * batch at a time, on one thread: {@link #start()} before each batch. No allocation per message.
 */
public final class BatchBytes implements Predicate<MessageLite> {

    /**
     * Envelope bytes per batch at every hop that batches (Metron to Doppler, Doppler and Traffic
     * Controller egress): 1 MiB, well under the 10 MiB Hydrant's own gRPC peers accept and under the
     * 4 MiB a gRPC client accepts by default, so that no batch of ordinary envelopes is refused by its
     * reader; 100 envelopes of up to 10 KiB fill a batch by count first, as before.
     */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;

    /** Bytes of the tag of field number 1 with wire type "length delimited" ({@code EnvelopeBatch.batch}). */
    private static final int FIELD_TAG_BYTES = 1;

    private final long limit;
    private final Predicate<EncodedEnvelope> encoded = envelope -> admit(envelope.framedSize());
    private long bytes;
    private int admitted;
    private boolean full;

    /** @param limit the bytes a batch may hold, at least 1 */
    public BatchBytes(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 byte, was " + limit);
        }
        this.limit = limit;
    }

    /** A bound of {@link #MAX_BATCH_BYTES}. */
    public static BatchBytes standard() {
        return new BatchBytes(MAX_BATCH_BYTES);
    }

    /** Begins a new, empty batch; returns this, to hand to {@code drainTo}. */
    public BatchBytes start() {
        bytes = 0;
        admitted = 0;
        full = false;
        return this;
    }

    /** Whether {@code message} joins the batch; once one is refused the batch is {@link #full()}. */
    @Override
    public boolean test(MessageLite message) {
        int size = message.getSerializedSize();
        return admit(FIELD_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(size) + (long) size);
    }

    /**
     * The same bound for envelopes carried as bytes ({@link EncodedEnvelope#framedSize()}): one predicate per
     * instance, to hand to {@code drainTo} after {@link #start()}.
     */
    public Predicate<EncodedEnvelope> encoded() {
        return encoded;
    }

    private boolean admit(long adds) {
        if (admitted > 0 && bytes + adds > limit) {
            full = true;
            return false;
        }
        bytes += adds;
        admitted++;
        if (bytes >= limit) {
            full = true;
        }
        return true;
    }

    /** Whether the batch takes no more: a message was refused, or the limit is reached. */
    public boolean full() {
        return full;
    }

    /** Bytes the batch holds: the serialized size of a batch message of what was admitted. */
    public long bytes() {
        return bytes;
    }

    public long limit() {
        return limit;
    }
}
