package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer of {@link FileTailBench}: appends numbered lines (a 12-digit line number, a space, filler, a newline)
 * of a fixed length to a file at a fixed rate, one write call a millisecond, never catching up in bursts.
 */
final class FileTailWriter {

    private final int lineBytes;
    private final int perWrite;

    /** Lines of {@code lineBytes} bytes at {@code rate} lines/s. */
    FileTailWriter(int lineBytes, int rate) {
        if (lineBytes < 14) {
            throw new IllegalArgumentException("a line needs at least 14 bytes: " + lineBytes);
        }
        this.lineBytes = lineBytes;
        this.perWrite = Math.max(1, rate / 1000);
    }

    /** What a writing phase achieved. */
    record Phase(long lines, double seconds, double microsPerWrite, long endNanos) {
        @Override
        public String toString() {
            return String.format("lines=%d rate=%.0f/s write-call=%.1fus", lines, lines / seconds, microsPerWrite);
        }
    }

    /** Appends lines numbered from {@code first} to {@code file} for {@code seconds}. */
    Phase write(Path file, long first, int seconds) throws IOException {
        byte[] filler = "x".repeat(lineBytes).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer chunk = ByteBuffer.allocate(perWrite * lineBytes);
        long written = 0;
        long inWrite = 0;
        long writes = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long next = start;
            while (System.nanoTime() < end) {
                chunk.clear();
                for (int i = 0; i < perWrite; i++) {
                    long number = first + written + i;
                    int at = chunk.position();
                    for (int digit = 11; digit >= 0; digit--) {
                        chunk.put(at + digit, (byte) ('0' + number % 10));
                        number /= 10;
                    }
                    chunk.position(at + 12);
                    chunk.put((byte) ' ').put(filler, 0, lineBytes - 14).put((byte) '\n');
                }
                chunk.flip();
                long before = System.nanoTime();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                inWrite += System.nanoTime() - before;
                writes++;
                written += perWrite;
                next += TimeUnit.MILLISECONDS.toNanos(1);
                long now = System.nanoTime();
                if (next > now) {
                    LockSupport.parkNanos(next - now);
                } else if (now - next > TimeUnit.MILLISECONDS.toNanos(20)) {
                    next = now; // fell behind: the rate shows it, no burst to catch up
                }
            }
        }
        long stop = System.nanoTime();
        return new Phase(written, (stop - start) / 1e9, inWrite / 1e3 / Math.max(1, writes), stop);
    }
}
