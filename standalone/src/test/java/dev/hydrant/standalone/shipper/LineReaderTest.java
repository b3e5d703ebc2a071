package dev.hydrant.standalone.shipper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private final AppInstance app = new AppInstance("app-1", "2", AppInstance.APP_SOURCE_TYPE);

    @Test
    void eachLineIsOneLogEnvelopeWithoutItsLineEnd_andEmptyLinesAreSkipped() {
        List<Envelope> read = read("first\r\nsecond\n\nlast without newline", 100, Log.Type.ERR);

        assertThat(read).extracting(e -> e.getLog().getPayload().toStringUtf8())
                .containsExactly("first", "second", "last without newline");
        assertThat(read).allSatisfy(e -> {
            assertThat(e.getLog().getType()).isEqualTo(Log.Type.ERR);
            assertThat(e.getSourceId()).isEqualTo("app-1");
            assertThat(e.getInstanceId()).isEqualTo("2");
            assertThat(e.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
            assertThat(e.getTimestamp()).isPositive();
        });
    }

    @Test
    void aLineLongerThanTheLimitIsCutIntoSeveralEnvelopes() {
        String line = "x".repeat(LineReader.MAX_LINE_BYTES * 2 + 10);

        List<Envelope> read = read(line + "\n", 100, Log.Type.OUT);

        assertThat(read).extracting(e -> e.getLog().getPayload().size())
                .containsExactly(LineReader.MAX_LINE_BYTES, LineReader.MAX_LINE_BYTES, 10);
    }

    @Test
    void whenTheBufferIsFull_theOldestLinesAreDroppedAndCounted() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            text.append("line ").append(i).append('\n');
        }
        DropOldestBuffer<Envelope> buffer = new DropOldestBuffer<>(10, dropped -> { });

        new LineReader(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), Log.Type.OUT, app,
                buffer, Clock.systemUTC()).run();

        List<Envelope> kept = new ArrayList<>();
        buffer.drainTo(kept, 100);
        assertThat(buffer.dropped()).isEqualTo(40);
        assertThat(kept).extracting(e -> e.getLog().getPayload().toStringUtf8()).first().isEqualTo("line 41");
    }

    private List<Envelope> read(String text, int capacity, Log.Type type) {
        DropOldestBuffer<Envelope> buffer = new DropOldestBuffer<>(capacity, dropped -> { });
        new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), type, app, buffer,
                Clock.systemUTC()).run();
        List<Envelope> read = new ArrayList<>();
        buffer.drainTo(read, capacity);
        return read;
    }
}
