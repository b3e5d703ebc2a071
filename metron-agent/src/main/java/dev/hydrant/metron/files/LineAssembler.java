package dev.hydrant.metron.files;

import com.google.protobuf.ByteString;
import dev.hydrant.metron.files.LineFormat.Parsed;
import dev.hydrant.metron.files.SourceNaming.Names;
import io.micrometer.core.instrument.Counter;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Turns one file's parsed lines into log envelopes: partial lines are joined per stream until
 * their final part, and a message over {@link #MAX_MESSAGE} bytes is split into several envelopes
 * (at a UTF-8 character boundary). Holds at most {@link #MAX_MESSAGE} bytes per stream. Read times
 * given to lines without their own are strictly increasing per file, and later than any time
 * forwarded before from it.
 */
final class LineAssembler {

    /** The largest message of one envelope: 60 KiB. */
    static final int MAX_MESSAGE = 60 * 1024;

    private final Names names;
    private final Counter joined;
    private final Counter split;
    private final Joining[] streams = {new Joining(), new Joining()};
    private long lastReadTime;

    LineAssembler(Names names, Counter joined, Counter split) {
        this.names = names;
        this.joined = joined;
        this.split = split;
    }

    /** What one stream holds of a line still being joined. */
    private static final class Joining {
        private byte[] data = new byte[0];
        private int length;
        private int parts;
        private long timestamp;
        private long startOffset;
        private long lastNanos;
    }

    /**
     * Takes one parsed line that started at {@code lineStart} in the file; what is complete goes to {@code out}.
     *
     * @param now the time of reading, in nanoseconds since the epoch, for lines that carry none: made
     *            strictly increasing per file, so that their order can be told by their timestamps
     */
    void accept(Parsed line, long lineStart, long now, List<Envelope> out) {
        Joining stream = streams[line.stderr() ? 1 : 0];
        long time = line.timestamp();
        if (time <= 0) {
            lastReadTime = Math.max(now, lastReadTime + 1);
            time = lastReadTime;
        }
        if (!line.partial() && stream.parts == 0) {
            emit(line.data(), line.offset(), line.length(), time, line.stderr(), out);
            return;
        }
        if (stream.parts == 0) {
            stream.timestamp = time;
            stream.startOffset = lineStart;
        }
        stream.parts++;
        stream.lastNanos = System.nanoTime();
        append(stream, line, out);
        if (!line.partial()) {
            joined.increment(stream.parts - 1);
            finish(stream, line.stderr(), out);
        }
    }

    private void append(Joining stream, Parsed line, List<Envelope> out) {
        int offset = line.offset();
        int remaining = line.length();
        while (remaining > 0) {
            if (stream.length == MAX_MESSAGE) {
                // full and more is coming: a line of exactly 60 KiB stays one envelope
                int cut = boundary(stream.data, 0, MAX_MESSAGE);
                out.add(envelope(stream.data, 0, cut, stream.timestamp++, line.stderr()));
                split.increment();
                System.arraycopy(stream.data, cut, stream.data, 0, MAX_MESSAGE - cut);
                stream.length = MAX_MESSAGE - cut;
            }
            if (stream.data.length < MAX_MESSAGE) {
                stream.data = Arrays.copyOf(stream.data, Math.min(MAX_MESSAGE, Math.max(4096, stream.length + remaining)));
            }
            int n = Math.min(remaining, MAX_MESSAGE - stream.length);
            System.arraycopy(line.data(), offset, stream.data, stream.length, n);
            stream.length += n;
            offset += n;
            remaining -= n;
        }
    }

    private void finish(Joining stream, boolean stderr, List<Envelope> out) {
        out.add(envelope(stream.data, 0, stream.length, stream.timestamp, stderr));
        stream.parts = 0;
        stream.length = 0;
        if (stream.data.length > 4096) {
            stream.data = new byte[0]; // a long line's room is not kept
        }
    }

    /** Forwards what a stream has joined when no part came for {@code idleNanos}. */
    void flushIdle(long idleNanos, List<Envelope> out) {
        long now = System.nanoTime();
        for (int i = 0; i < streams.length; i++) {
            if (streams[i].parts > 0 && now - streams[i].lastNanos >= idleNanos) {
                joined.increment(streams[i].parts - 1);
                finish(streams[i], i == 1, out);
            }
        }
    }

    /** The file offset of the first part still held, or {@code Long.MAX_VALUE} when none is. */
    long heldFrom() {
        long from = Long.MAX_VALUE;
        for (Joining stream : streams) {
            if (stream.parts > 0) {
                from = Math.min(from, stream.startOffset);
            }
        }
        return from;
    }

    /** Forgets what is held (the file was truncated). */
    void clear() {
        for (Joining stream : streams) {
            stream.parts = 0;
            stream.length = 0;
        }
    }

    /**
     * One message, split into envelopes of at most {@link #MAX_MESSAGE} bytes; the pieces carry the
     * time plus 0, 1, 2... nanoseconds, so that they sort in order.
     */
    void emit(byte[] data, int offset, int length, long time, boolean stderr, List<Envelope> out) {
        while (length > MAX_MESSAGE) {
            int cut = boundary(data, offset, MAX_MESSAGE);
            out.add(envelope(data, offset, cut, time++, stderr));
            split.increment();
            offset += cut;
            length -= cut;
        }
        out.add(envelope(data, offset, length, time, stderr));
    }

    /** The longest piece of at most {@code max} bytes that does not end inside a UTF-8 character. */
    static int boundary(byte[] data, int offset, int max) {
        for (int back = 1; back <= 4; back++) {
            byte b = data[offset + max - back];
            if ((b & 0xC0) != 0x80) {
                int need = (b & 0x80) == 0 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
                return need > back ? max - back : max;
            }
        }
        return max;
    }

    private Envelope envelope(byte[] data, int offset, int length, long time, boolean stderr) {
        lastReadTime = Math.max(lastReadTime, time);
        return Envelope.newBuilder()
                .setSourceId(names.sourceId())
                .setInstanceId(names.instanceId())
                .setTimestamp(time)
                .putTags("source_type", names.sourceType())
                .setLog(Log.newBuilder()
                        .setPayload(ByteString.copyFrom(data, offset, length))
                        .setType(stderr ? Log.Type.ERR : Log.Type.OUT))
                .build();
    }
}
