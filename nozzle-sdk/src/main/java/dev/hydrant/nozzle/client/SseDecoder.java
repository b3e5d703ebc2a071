package dev.hydrant.nozzle.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a server-sent event stream into events, whatever the chunking of the bytes: lines end in
 * LF, CRLF or CR; {@code event:} names the event, {@code data:} lines are joined by LF, lines
 * starting with {@code :} are comments, a blank line ends the event. One instance per stream; not
 * thread-safe. A line longer than {@code maxLineBytes} is not kept: its bytes are passed over to the
 * line's end, and the event it belongs to is left out and told to {@code skipped}; so is an event whose
 * data lines together pass {@code maxLineBytes} characters. Memory stays bounded and the stream goes on
 * with the next event.
 */
final class SseDecoder {

    /** One event; {@code event} is {@code message} when the server named none. */
    record Event(String event, String data) {
    }

    private final int maxLineBytes;
    private final Runnable skipped;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private String event = "";
    private boolean hasData;
    private boolean afterCr;
    private boolean lineTooLong;
    private boolean eventTooLong;

    SseDecoder(int maxLineBytes, Runnable skipped) {
        this.maxLineBytes = maxLineBytes;
        this.skipped = skipped;
    }

    /** The events completed by {@code chunk}. */
    List<Event> feed(byte[] chunk) {
        List<Event> events = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (b == '\n' || b == '\r') {
                if (b == '\n' && afterCr && i == start && line.size() == 0) {
                    // the LF of a CRLF whose CR ended the previous line
                    afterCr = false;
                    start = i + 1;
                    continue;
                }
                append(chunk, start, i);
                endLine(events);
                afterCr = b == '\r';
                start = i + 1;
            } else {
                afterCr = false;
            }
        }
        append(chunk, start, chunk.length);
        return events;
    }

    private void append(byte[] chunk, int from, int to) {
        if (to > from && !lineTooLong) {
            if (line.size() + (to - from) > maxLineBytes) {
                lineTooLong = true;
                line.reset();
                return;
            }
            line.write(chunk, from, to - from);
        }
    }

    private void endLine(List<Event> events) {
        if (lineTooLong) {
            lineTooLong = false;
            eventTooLong = true;
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            if (eventTooLong) {
                eventTooLong = false;
                skipped.run();
            } else if (hasData || !event.isEmpty()) {
                events.add(new Event(event.isEmpty() ? "message" : event, data.toString()));
            }
            event = "";
            data.setLength(0);
            hasData = false;
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (eventTooLong) {
                    return;
                }
                if (data.length() + (hasData ? 1 : 0) + value.length() > maxLineBytes) {
                    eventTooLong = true; // many short data lines: as bounded as one long one
                    data.setLength(0);
                    return;
                }
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> {
                // id, retry and unknown fields mean nothing to this client
            }
        }
    }
}
