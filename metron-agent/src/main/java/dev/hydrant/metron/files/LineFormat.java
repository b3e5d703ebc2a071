package dev.hydrant.metron.files;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one line of a log file is read: its message, stream, time and whether it is only a part of a
 * longer line. A line that does not parse in its format yields {@code null}; the caller forwards it
 * as a plain line and counts it.
 */
public enum LineFormat {

    /**
     * Kubernetes' CRI log: {@code <RFC 3339 timestamp> <stdout|stderr> <P|F> <message>}; {@code P}
     * marks a part of a line the runtime split (at 16 KiB), {@code F} its final part.
     */
    CRI {
        @Override
        Parsed parse(byte[] line, int offset, int length) {
            int end = offset + length;
            int timeEnd = indexOf(line, offset, end, (byte) ' ');
            int streamEnd = timeEnd < 0 ? -1 : indexOf(line, timeEnd + 1, end, (byte) ' ');
            if (streamEnd < 0) {
                return null;
            }
            int flagEnd = indexOf(line, streamEnd + 1, end, (byte) ' ');
            int flagStop = flagEnd < 0 ? end : flagEnd;
            if (flagStop - streamEnd != 2) {
                return null;
            }
            byte flag = line[streamEnd + 1];
            if (flag != 'P' && flag != 'F') {
                return null;
            }
            String stream = new String(line, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
            if (!stream.equals("stdout") && !stream.equals("stderr")) {
                return null;
            }
            long time = nanos(new String(line, offset, timeEnd - offset, StandardCharsets.US_ASCII));
            if (time < 0) {
                return null;
            }
            int message = flagEnd < 0 ? end : flagEnd + 1;
            return new Parsed(time, stream.equals("stderr"), flag == 'P', line, message, end - message);
        }
    },

    /**
     * Docker's json-file: {@code {"log":"...\n","stream":"stdout","time":"..."}}; a {@code log} that
     * does not end in a newline is a part of a line Docker split (at 16 KiB).
     */
    DOCKER {
        @Override
        Parsed parse(byte[] line, int offset, int length) {
            JsonNode node;
            try {
                node = JSON.readTree(line, offset, length);
            } catch (JacksonException e) {
                return null;
            }
            if (node == null || !node.isObject() || !node.path("log").isString()) {
                return null;
            }
            String log = node.path("log").stringValue();
            boolean partial = !log.endsWith("\n");
            byte[] message = (partial ? log : log.substring(0, log.length() - 1)).getBytes(StandardCharsets.UTF_8);
            long time = node.path("time").isString() ? nanos(node.path("time").stringValue()) : 0;
            boolean stderr = "stderr".equals(node.path("stream").asString(""));
            return new Parsed(Math.max(time, 0), stderr, partial, message, 0, message.length);
        }
    },

    /** A line as it is: stdout, the time it was read. */
    PLAIN {
        @Override
        Parsed parse(byte[] line, int offset, int length) {
            return new Parsed(0, false, false, line, offset, length);
        }
    };

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A line read.
     *
     * @param timestamp nanoseconds since the epoch from the line, 0 when it has none
     * @param stderr    whether it was written to stderr
     * @param partial   whether it is a part of a longer line, to be joined with what follows
     */
    public record Parsed(long timestamp, boolean stderr, boolean partial, byte[] data, int offset, int length) {
    }

    /** The line at {@code line[offset, offset + length)} without its newline; {@code null} when it does not parse. */
    abstract Parsed parse(byte[] line, int offset, int length);

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** An RFC 3339 time with an offset or {@code Z} as nanoseconds since the epoch; -1 when it is not one. */
    static long nanos(String text) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
