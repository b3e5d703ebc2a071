package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One endpoint's conversion of an envelope (a v1 websocket's dropsonde frames, an SSE reader's JSON), made
 * once per envelope and shared by every client that is sent the same envelope. Each client has its own
 * stream from every Doppler, so the clients of one envelope (firehose subscriptions, app streams of the
 * same app, several readers) hold equal bytes, not the same object: the last conversions are kept in a
 * small table indexed by what the envelope's routing fields give for free (source id, timestamp, type,
 * size) and found again only by equal bytes, so a hit is always the right answer. Clients take an envelope
 * within moments of each other, while it is still in the table; a client far behind, or an entry pushed
 * out by another envelope, converts again: the table is lossy, never wrong.
 *
 * <p>Bounded: {@link #SLOTS} entries, and envelopes over {@link #MAX_SHARED_BYTES} are converted per client
 * and not kept, so the table holds at most {@code SLOTS} small envelopes and their conversions (about
 * 2 MiB at most for the v1 frames, twice that for JSON). Thread-safe without locks; two clients that miss
 * together both convert.
 *
 * @param <T> the conversion, immutable (it is handed to several clients at once)
 */
public final class OncePerEnvelope<T> implements Function<EncodedEnvelope, T> {

    /** Entries in the table. */
    public static final int SLOTS = 2048;
    /** Largest encoded envelope whose conversion is kept for other clients. */
    public static final int MAX_SHARED_BYTES = 1024;

    private record Entry<T>(EncodedEnvelope envelope, T converted) {
    }

    private final Function<EncodedEnvelope, T> convert;
    private final AtomicReferenceArray<Entry<T>> table = new AtomicReferenceArray<>(SLOTS);
    private final LongAdder conversions = new LongAdder();

    /** @param convert the conversion, a pure function of the envelope's bytes */
    public OncePerEnvelope(Function<EncodedEnvelope, T> convert) {
        this.convert = Objects.requireNonNull(convert, "convert");
    }

    /** The envelope's conversion: the one kept for equal bytes, or made now (and kept, when small). */
    @Override
    public T apply(EncodedEnvelope envelope) {
        if (envelope.size() > MAX_SHARED_BYTES) {
            return converted(envelope);
        }
        int slot = slot(envelope);
        Entry<T> entry = table.getAcquire(slot);
        if (entry != null && (entry.envelope() == envelope || entry.envelope().sameBytes(envelope))) {
            return entry.converted();
        }
        T converted = converted(envelope);
        table.setRelease(slot, new Entry<>(envelope, converted));
        return converted;
    }

    /** How many conversions were made: envelopes sent minus those that shared one. */
    public long conversions() {
        return conversions.sum();
    }

    private T converted(EncodedEnvelope envelope) {
        conversions.increment();
        return convert.apply(envelope);
    }

    private static int slot(EncodedEnvelope envelope) {
        long key = envelope.timestamp() * 31 + envelope.size();
        int hash = envelope.sourceId().hashCode() * 31 + Long.hashCode(key) + envelope.type().ordinal();
        hash ^= hash >>> 16;
        hash *= 0x45d9f3b;
        hash ^= hash >>> 16;
        return hash & (SLOTS - 1);
    }
}
