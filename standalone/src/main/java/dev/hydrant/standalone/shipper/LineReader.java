package dev.hydrant.standalone.shipper;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Reads one output stream of the child process until its end and offers each line to the shipper's
 * drop-oldest buffer as a Log envelope. It never waits for anything but the child: a full buffer
 * drops its oldest line (counted by the buffer), so the app's writes never block on the network.
 * A line longer than {@value #MAX_LINE_BYTES} bytes is cut into several; line ends ({@code \n},
 * {@code \r\n}) are not part of the payload, and empty lines are not shipped.
 */
final class LineReader implements Runnable {

    /** Bytes of one envelope's payload at most; longer lines are split. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream input;
    private final Log.Type type;
    private final AppInstance app;
    private final DropOldestBuffer<Envelope> buffer;
    private final Clock clock;

    LineReader(InputStream input, Log.Type type, AppInstance app, DropOldestBuffer<Envelope> buffer, Clock clock) {
        this.input = Objects.requireNonNull(input, "input");
        this.type = Objects.requireNonNull(type, "type");
        this.app = Objects.requireNonNull(app, "app");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        byte[] line = new byte[MAX_LINE_BYTES];
        int length = 0;
        try (input) {
            int read;
            while ((read = input.read(chunk)) != -1) {
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(line, length);
                        length = 0;
                    } else {
                        if (length == MAX_LINE_BYTES) {
                            emit(line, length);
                            length = 0;
                        }
                        line[length++] = b;
                    }
                }
            }
        } catch (IOException e) {
            // the child closed its end or was killed: what was read is shipped below
        }
        if (length > 0) {
            emit(line, length);
        }
    }

    private void emit(byte[] line, int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        if (end == 0) {
            return;
        }
        buffer.offer(app.log(ByteString.copyFrom(line, 0, end), type, nanos(clock.instant())));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
