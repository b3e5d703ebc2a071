package dev.hydrant.nozzles.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.nozzles.elasticsearch.config.ElasticsearchProperties.IndexMode;
import dev.hydrant.testsupport.envelopes.Envelopes;
import java.nio.charset.StandardCharsets;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each envelope is one valid {@code create} item: two JSON lines, whatever its text holds. */
class DocumentWriterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String[] lines(DocumentWriter writer, Envelope envelope) {
        String item = new String(writer.item(envelope, 5), StandardCharsets.UTF_8);
        assertThat(item).endsWith("\n");
        String[] lines = item.split("\n", -1);
        assertThat(lines).hasSize(3);
        return lines;
    }

    @Test
    void aLogWithQuotesControlCharactersAndNonAscii_isOneValidDocument() {
        DocumentWriter writer = new DocumentWriter(new IndexTarget(IndexMode.DATA_STREAM, "hydrant-logs"));
        String text = "say \"hi\"\\ \t\u0001 line\nnext é 漢 😀";
        String[] lines = lines(writer, Envelopes.log("app", text, Envelopes.nanos("2026-11-28T10:00:00.123456789Z")));
        assertThat(JSON.readTree(lines[0]).path("create").path("_index").asString()).isEqualTo("hydrant-logs");
        JsonNode document = JSON.readTree(lines[1]);
        assertThat(document.path("message").asString()).isEqualTo(text);
        assertThat(document.path("@timestamp").asString()).isEqualTo("2026-11-28T10:00:00.123456789Z");
        assertThat(document.path("tags").path("source_type").asString()).isEqualTo("APP/PROC/WEB");
    }

    @Test
    void aGaugeThatIsNotANumber_isNull_andAnEnvelopeWithoutATimestamp_takesTheTimeItWasWritten() {
        DocumentWriter writer = new DocumentWriter(new IndexTarget(IndexMode.DAILY, "hydrant-logs"));
        Envelope gauge = Envelope.newBuilder().setSourceId("app").setGauge(Gauge.newBuilder()
                .putMetrics("nan", GaugeValue.newBuilder().setValue(Double.NaN).setUnit("x").build())
                .putMetrics("half", GaugeValue.newBuilder().setValue(0.5).setUnit("ratio").build())).build();
        String[] lines = lines(writer, gauge);
        assertThat(JSON.readTree(lines[0]).path("create").path("_index").asString()).isEqualTo("hydrant-logs-1970.01.01");
        JsonNode document = JSON.readTree(lines[1]);
        assertThat(document.path("@timestamp").asString()).isEqualTo("1970-01-01T00:00:00.000000005Z");
        assertThat(document.path("gauge").path("nan").path("value").isNull()).isTrue();
        assertThat(document.path("gauge").path("half").path("value").asDouble()).isEqualTo(0.5);
        assertThat(document.path("message_type").asString()).isEqualTo("gauge");
    }

    @Test
    void aCounterTotalBeyondASignedLong_isWrittenUnsigned() {
        DocumentWriter writer = new DocumentWriter(new IndexTarget(IndexMode.DATA_STREAM, "s"));
        JsonNode document = JSON.readTree(lines(writer, Envelopes.counter("app", "c", 1, -1L, 10))[1]);
        assertThat(document.path("counter").path("total").asString()).isEqualTo("18446744073709551615");
    }
}
