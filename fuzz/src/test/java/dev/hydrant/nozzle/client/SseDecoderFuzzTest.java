package dev.hydrant.nozzle.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nozzle SDK's server-sent events decoder ({@link SseDecoder}): whatever a server sends, cut into chunks
 * anywhere, gives the same events and the same count of events passed over as the bytes in one chunk, and those
 * are the events of the stream read line by line as its javadoc says; never an exception, and no event holds more
 * than the line limit, so what the decoder keeps stays within it.
 */
class SseDecoderFuzzTest {

    /** One decoding: the events and how many were passed over. */
    private record Decoded(List<SseDecoder.Event> events, int skipped) {
    }

    @DictionaryEntries({"data:", "data: ", "event:", "event: closing", "id: 1", "retry: 5", ": comment",
            "\\x0D\\x0A", "\\x0D", "\\x0A", "\\x0A\\x0A"}) // libFuzzer's dictionary escapes
    @FuzzTest(maxDuration = "10s")
    void anyChunkingOfAnyBytesGivesTheEventsOfTheWholeStream(FuzzedDataProvider data) {
        int maxLine = data.consumeInt(1, 300);
        int[] cuts = new int[data.consumeInt(0, 12)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 400);
        }
        byte[] stream = data.consumeRemainingAsBytes();

        Decoded whole = decode(maxLine, stream, new int[0]);
        Decoded chunked = decode(maxLine, stream, cuts);

        assertThat(chunked).as("in chunks of %s", Arrays.toString(cuts)).isEqualTo(whole);
        assertThat(whole).isEqualTo(reference(maxLine, stream));
        assertThat(whole.events()).allSatisfy(event -> {
            assertThat(event.data().length()).isLessThanOrEqualTo(maxLine);
            assertThat(event.event().length()).isLessThanOrEqualTo(Math.max(maxLine, "message".length()));
        });
    }

    private static Decoded decode(int maxLine, byte[] stream, int[] chunks) {
        AtomicInteger skipped = new AtomicInteger();
        SseDecoder decoder = new SseDecoder(maxLine, skipped::incrementAndGet);
        List<SseDecoder.Event> events = new ArrayList<>();
        int from = 0;
        for (int chunk : chunks) {
            int to = Math.min(stream.length, from + chunk);
            events.addAll(decoder.feed(Arrays.copyOfRange(stream, from, to)));
            from = to;
        }
        events.addAll(decoder.feed(Arrays.copyOfRange(stream, from, stream.length)));
        return new Decoded(events, skipped.get());
    }

    /**
     * The stream read as the javadoc says, line by line: lines end in LF, CRLF or CR (a last line without its end
     * is not read yet); a line over the limit in bytes, or an event whose data would pass the limit, makes its event
     * one passed over and counted when the blank line ends it.
     */
    private static Decoded reference(int maxLine, byte[] stream) {
        List<SseDecoder.Event> events = new ArrayList<>();
        int skipped = 0;
        String event = "";
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        boolean over = false;
        int start = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] != '\n' && stream[i] != '\r') {
                continue;
            }
            int length = i - start;
            String line = new String(stream, start, length, StandardCharsets.UTF_8);
            start = i + (stream[i] == '\r' && i + 1 < stream.length && stream[i + 1] == '\n' ? 2 : 1);
            i = start - 1;
            if (length > maxLine) {
                over = true;
            } else if (line.isEmpty()) {
                if (over) {
                    skipped++;
                } else if (hasData || !event.isEmpty()) {
                    events.add(new SseDecoder.Event(event.isEmpty() ? "message" : event, data.toString()));
                }
                event = "";
                data.setLength(0);
                hasData = false;
                over = false;
            } else if (line.charAt(0) != ':') {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data") && !over) {
                    if (data.length() + (hasData ? 1 : 0) + value.length() > maxLine) {
                        over = true;
                        data.setLength(0);
                    } else {
                        data.append(hasData ? "\n" : "").append(value);
                        hasData = true;
                    }
                }
            }
        }
        return new Decoded(events, skipped);
    }
}
