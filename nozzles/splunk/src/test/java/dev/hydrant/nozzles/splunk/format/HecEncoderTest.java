package dev.hydrant.nozzles.splunk.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.envelopes.Envelopes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/** A batch becomes requests of at most max-batch-bytes of JSON, each event whole, gzip when asked. */
class HecEncoderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<JsonNode> events(byte[] json) {
        List<JsonNode> events = new ArrayList<>();
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(json)) {
            values.forEachRemaining(events::add);
        }
        return events;
    }

    private static List<Envelope> logs(int n) {
        return Envelopes.logs("app-1", "line", 0, n);
    }

    @Test
    void aBatchOverMaxBytes_isSplitIntoRequestsOfWholeEvents_inOrder() throws IOException {
        HecEncoder encoder = new HecEncoder(Mapping.defaults(), 2048, true);

        HecEncoder.Encoded encoded = encoder.encode(logs(100));

        assertThat(encoded.skipped()).isZero();
        assertThat(encoded.chunks()).hasSizeGreaterThan(1);
        List<String> messages = new ArrayList<>();
        for (Chunk chunk : encoded.chunks()) {
            assertThat(chunk.json().length).isLessThanOrEqualTo(2048);
            byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(chunk.compressed().body())).readAllBytes();
            assertThat(unzipped).isEqualTo(chunk.json());
            List<JsonNode> events = events(unzipped);
            assertThat(events).hasSize(chunk.events());
            events.forEach(e -> messages.add(e.path("event").path("msg").asString()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("line-" + i);
        }
        assertThat(messages).isEqualTo(expected);
    }

    @Test
    void anEventLargerThanMaxBytes_goesAlone() {
        HecEncoder encoder = new HecEncoder(Mapping.defaults(), 1024, false);
        List<Envelope> batch = List.of(Envelopes.log("app-1", "small"), Envelopes.log("app-1", "x".repeat(5000)),
                Envelopes.log("app-1", "small again"));

        List<Chunk> chunks = encoder.encode(batch).chunks();

        assertThat(chunks).extracting(Chunk::events).containsExactly(1, 1, 1);
        assertThat(new String(chunks.get(0).body(), StandardCharsets.UTF_8)).contains("\"msg\":\"small\"");
    }

    @Test
    void theTime_isEpochSecondsWithMilliseconds() {
        HecEncoder encoder = new HecEncoder(Mapping.defaults(), 1_000_000, false);

        Chunk chunk = encoder.encode(List.of(Envelopes.log("app-1", "at", Envelopes.nanos("2026-11-28T08:00:20.05Z"))))
                .chunks().get(0);

        assertThat(new String(chunk.body(), StandardCharsets.UTF_8)).startsWith("{\"time\":1795852820.050,");
    }

    @Test
    void theRestOfAChunk_isTheEventsAfterTheGivenOne() {
        HecEncoder encoder = new HecEncoder(Mapping.defaults(), 1_000_000, false);
        Chunk chunk = encoder.encode(logs(5)).chunks().get(0);

        Chunk rest = encoder.rest(chunk, 3);

        assertThat(rest.events()).isEqualTo(2);
        assertThat(events(rest.body())).extracting(e -> e.path("event").path("msg").asString())
                .containsExactly("line-3", "line-4");
    }

    @Test
    void anEnvelopeWithoutContent_isSkippedAndCounted() {
        HecEncoder encoder = new HecEncoder(Mapping.defaults(), 1_000_000, false);

        HecEncoder.Encoded encoded = encoder.encode(List.of(Envelope.newBuilder().setSourceId("x").build(),
                Envelopes.log("app-1", "kept")));

        assertThat(encoded.skipped()).isEqualTo(1);
        assertThat(encoded.chunks()).singleElement().extracting(Chunk::events).isEqualTo(1);
    }
}
