package dev.hydrant.nozzle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The SSE decoder: events out of any chunking, and a line over the limit passed over, not fatal. */
class SseDecoderTest {

    private static final int MAX = 64;

    private final AtomicInteger skipped = new AtomicInteger();

    private List<SseDecoder.Event> decode(String stream, int chunk) {
        SseDecoder decoder = new SseDecoder(MAX, skipped::incrementAndGet);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseDecoder.Event> events = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += chunk) {
            events.addAll(decoder.feed(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunk))));
        }
        return events;
    }

    @Test
    void anEventWithALineOverTheLimit_isLeftOutAndCounted_andTheEventsAroundItComeThrough_inAnyChunking() {
        String tooLong = "x".repeat(MAX * 3);
        String atTheLimit = "y".repeat(MAX - "data: ".length());
        String stream = "data: first\n\n"
                + "event: message\ndata: " + tooLong + "\ndata: more\n\n"
                + "data: " + atTheLimit + "\r\n\r\n"
                + ": a comment\ndata: last\r\rdata: " + tooLong + "\n\n";
        for (int chunk : new int[] {1, 2, 7, 63, 64, 65, 1000}) {
            skipped.set(0);
            assertThat(decode(stream, chunk)).as("chunks of %d", chunk).containsExactly(
                    new SseDecoder.Event("message", "first"),
                    new SseDecoder.Event("message", atTheLimit),
                    new SseDecoder.Event("message", "last"));
            assertThat(skipped).as("chunks of %d", chunk).hasValue(2);
        }
    }

    @Test
    void aLongLineDoesNotGrowTheDecoder_pastTheLimit() {
        SseDecoder decoder = new SseDecoder(MAX, skipped::incrementAndGet);
        assertThat(decoder.feed("data: ".getBytes(StandardCharsets.UTF_8))).isEmpty();
        byte[] block = "z".repeat(1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1024; i++) {
            assertThat(decoder.feed(block)).isEmpty();
        }
        assertThat(decoder.feed("\n\ndata: next\n\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new SseDecoder.Event("message", "next"));
        assertThat(skipped).hasValue(1);
    }

    @Test
    void anEventOfManyShortDataLinesOverTheLimit_isLeftOutAndCounted_asALongLineIs() {
        String line = "data: " + "d".repeat(MAX / 4) + "\n";
        String stream = line.repeat(8) + "\n" + line.repeat(2) + "\n";

        for (int chunk : new int[] {1, 5, 1000}) {
            skipped.set(0);
            assertThat(decode(stream, chunk)).as("chunks of %d", chunk)
                    .containsExactly(new SseDecoder.Event("message", "d".repeat(MAX / 4) + "\n" + "d".repeat(MAX / 4)));
            assertThat(skipped).as("chunks of %d", chunk).hasValue(1);
        }
    }
}
