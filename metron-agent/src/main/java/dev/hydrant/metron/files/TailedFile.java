package dev.hydrant.metron.files;

import dev.hydrant.metron.files.LineFormat.Parsed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * One file being tailed, by its open channel (so a renamed or deleted file is read to its end):
 * lines are cut at newlines and handed to its {@link LineAssembler}. Holds a 64 KiB read buffer,
 * the line still without its newline (at most {@link LineAssembler#MAX_MESSAGE} bytes for plain
 * files, four times that for the structured formats: a longer one is cut) and the assembler's parts.
 *
 * <p>{@link #committed()} is the offset up to which every byte has been handed on; a checkpoint
 * records it, and a restart reads again from there.
 */
final class TailedFile implements AutoCloseable {

    /** Hand-over marks kept per file at most (see {@link #handedOn(long)}). */
    static final int MAX_MARKS = 4096;

    private static final int READ_BUFFER = 64 * 1024;

    private final FileKey key;
    private final FileChannel channel;
    private final LineFormat format;
    private final LineAssembler assembler;
    private final FilesMeters counts;
    private final int maxLine;
    private final byte[] buffer = new byte[READ_BUFFER];
    private volatile Path path;
    private long position;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private long pendingStart;
    private long lastGrowth = System.nanoTime();
    private long goneSince = -1;
    /** Offsets handed on, each with the number of envelopes offered to the agent's buffer just after: {mark, offset}, oldest first. */
    private final ArrayDeque<long[]> handedOn = new ArrayDeque<>();
    /** The offset up to which every line has left the agent (confirmed by a Doppler or counted as dropped). */
    private long settled;
    private boolean behind;

    private TailedFile(FileKey key, Path path, FileChannel channel, long position, LineFormat format,
                       LineAssembler assembler, FilesMeters counts) {
        this.key = key;
        this.path = path;
        this.channel = channel;
        this.position = position;
        this.settled = position;
        this.format = format;
        this.assembler = assembler;
        this.counts = counts;
        this.maxLine = format == LineFormat.PLAIN ? LineAssembler.MAX_MESSAGE : 4 * LineAssembler.MAX_MESSAGE;
    }

    /** Opens {@code path}, to be read from {@code position} (0 when it is past the end). */
    static TailedFile open(FileKey key, Path path, long position, LineFormat format, LineAssembler assembler,
                           FilesMeters counts) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        long start = position <= channel.size() ? position : 0;
        return new TailedFile(key, path, channel, start, format, assembler, counts);
    }

    FileKey key() {
        return key;
    }

    Path path() {
        return path;
    }

    void movedTo(Path now) {
        path = now;
        goneSince = -1;
    }

    /** Seen under none of the inputs' paths since {@code nanoTime} (renamed away or deleted). */
    void gone(long nanoTime) {
        if (goneSince < 0) {
            goneSince = nanoTime;
        }
    }

    boolean isGone() {
        return goneSince >= 0;
    }

    /** Gone, read to its end and quiet for {@code idleNanos}: to be released. */
    boolean releasable(long idleNanos) throws IOException {
        long now = System.nanoTime();
        return goneSince >= 0 && channel.size() <= position && now - lastGrowth >= idleNanos && now - goneSince >= idleNanos;
    }

    /**
     * Reads what was added, at most about {@code maxBytes} and until {@code out} holds
     * {@code maxLines} (give or take a read); complete lines go to {@code out}.
     *
     * @return the bytes read
     */
    int read(int maxBytes, int maxLines, List<Envelope> out) throws IOException {
        if (channel.size() < position) {
            counts.truncated().increment();
            position = 0;
            pendingLength = 0;
            settled = 0;
            handedOn.clear();
            assembler.clear();
        }
        int total = 0;
        long now = System.currentTimeMillis() * 1_000_000L;
        while (total < maxBytes && out.size() < maxLines) {
            int n = channel.read(ByteBuffer.wrap(buffer), position);
            if (n <= 0) {
                break;
            }
            scan(position, n, now, out);
            position += n;
            total += n;
        }
        if (total > 0) {
            lastGrowth = System.nanoTime();
            counts.bytes().increment(total);
        }
        return total;
    }

    private void scan(long chunkOffset, int n, long now, List<Envelope> out) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            if (pendingLength == 0) {
                line(buffer, start, i - start, chunkOffset + start, now, out);
            } else {
                append(buffer, start, i - start, chunkOffset + start, now, out);
                line(pending, 0, pendingLength, pendingStart, now, out);
                pendingLength = 0;
            }
            start = i + 1;
        }
        if (start < n) {
            append(buffer, start, n - start, chunkOffset + start, now, out);
        }
    }

    /**
     * Adds to the line without its newline yet; a line that passes the bound is cut there, at a UTF-8
     * character boundary, and its first part handed on.
     */
    private void append(byte[] data, int offset, int length, long fileOffset, long now, List<Envelope> out) {
        while (length > 0) {
            if (pendingLength == maxLine) {
                cutPending(now, out);
            }
            if (pendingLength == 0) {
                pendingStart = fileOffset;
            }
            if (pending.length < maxLine) {
                pending = Arrays.copyOf(pending, Math.min(maxLine, Math.max(1024, 2 * (pendingLength + length))));
            }
            int n = Math.min(length, maxLine - pendingLength);
            System.arraycopy(data, offset, pending, pendingLength, n);
            pendingLength += n;
            offset += n;
            length -= n;
            fileOffset += n;
        }
    }

    /** Hands on the longest start of the full held line that does not end inside a character; keeps the rest. */
    private void cutPending(long now, List<Envelope> out) {
        counts.split().increment();
        int cut = LineAssembler.boundary(pending, 0, maxLine);
        line(pending, 0, cut, pendingStart, now, out);
        System.arraycopy(pending, cut, pending, 0, maxLine - cut);
        pendingLength = maxLine - cut;
        pendingStart += cut;
    }

    private void line(byte[] data, int offset, int length, long fileOffset, long now, List<Envelope> out) {
        Parsed parsed = format.parse(data, offset, length);
        if (parsed == null) {
            counts.malformed().increment();
            parsed = LineFormat.PLAIN.parse(data, offset, length);
        }
        assembler.accept(parsed, fileOffset, now, out);
    }

    /** Hands on a last line without its newline, and joined parts without their final part, once quiet for {@code idleNanos}. */
    void flushIdle(long idleNanos, List<Envelope> out) {
        if (pendingLength > 0 && System.nanoTime() - lastGrowth >= idleNanos) {
            line(pending, 0, pendingLength, pendingStart, System.currentTimeMillis() * 1_000_000L, out);
            pendingLength = 0;
            if (pending.length > 4096) {
                pending = new byte[0];
            }
        }
        assembler.flushIdle(idleNanos, out);
    }

    /** The offset up to which everything read has been handed on. */
    long committed() {
        long held = assembler.heldFrom();
        return Math.min(pendingLength > 0 ? pendingStart : position, held);
    }

    /** Whether the last round left something to read (a read limit, or no room in the buffer). */
    boolean behind() {
        return behind;
    }

    void behind(boolean left) {
        behind = left;
    }

    /**
     * Notes that what was read up to {@link #committed()} has been handed on, and that {@code mark}
     * envelopes had been offered to the agent's buffer just after: once every envelope numbered below
     * {@code mark} has left the agent, so have these lines. At most {@link #MAX_MARKS} are kept; beyond that
     * the newest is replaced, which only makes the offset wait for a later mark.
     */
    void handedOn(long mark) {
        if (handedOn.size() >= MAX_MARKS) {
            handedOn.pollLast();
        }
        handedOn.addLast(new long[] {mark, committed()});
    }

    /**
     * The offset up to which every line has left the agent, given that every envelope numbered below
     * {@code left} has (confirmed by a Doppler, or counted as dropped): what a checkpoint may record while running.
     */
    long settled(long left) {
        while (!handedOn.isEmpty() && handedOn.peekFirst()[0] <= left) {
            settled = handedOn.pollFirst()[1];
        }
        return settled;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
