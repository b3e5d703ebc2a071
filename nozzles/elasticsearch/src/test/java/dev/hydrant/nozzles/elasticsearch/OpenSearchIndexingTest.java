package dev.hydrant.nozzles.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.elasticsearch.bulk.BulkMetrics;
import dev.hydrant.nozzles.elasticsearch.servers.LogCapture;
import dev.hydrant.nozzles.elasticsearch.servers.NozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import dev.hydrant.testsupport.opensearch.OpenSearchNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The nozzle against a real OpenSearch 2.19 started by the test: what it indexes is found by a search, typed by
 * its template, in a data stream or in daily indices; what the mapping refuses is counted and logged once.
 */
class OpenSearchIndexingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static OpenSearchNode node;

    @BeforeAll
    static void startOpenSearch() throws Exception {
        node = OpenSearchNode.shared();
    }

    private static JsonNode json(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as("%s", answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    private static NozzleRunner nozzle(FakeTrafficController firehose, Map<String, String> settings) {
        return new NozzleRunner(firehose, node.url().toString(), settings);
    }

    private static void awaitSettled(NozzleRunner nozzle, int sent) {
        await("every envelope settled in OpenSearch").atMost(Patience.PATIENCE).untilAsserted(() ->
                assertThat(nozzle.metric(BulkMetrics.INDEXED) + nozzle.metric(BulkMetrics.REJECTED))
                        .as("indexed + rejected (%s); OpenSearch said: %s", nozzle.metric("nozzle.written"), node.output())
                        .isEqualTo(sent));
    }

    @Test
    void envelopesFromAnEmitter_areFoundBySourceIdTimeRangeAndText_typedByTheTemplate() throws Exception {
        String stream = "hydrant-search";
        long start = Envelopes.now();
        List<Envelope> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(Envelopes.log(i % 2 == 0 ? "app-a" : "app-b", "0", i % 3 == 0 ? Log.Type.ERR : Log.Type.OUT,
                    "request " + i + " served in " + i + " ms", start + i * 1_000L));
        }
        sent.add(Envelopes.counter("app-a", "requests", 3, 300, start));
        sent.add(Envelopes.gauge("app-a", start));
        sent.add(Envelopes.timer("app-a", "http").toBuilder().setTimestamp(start).build());
        sent.add(Envelopes.event("app-a", "deployed").toBuilder().setTimestamp(start).build());
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = nozzle(firehose, Map.of("hydrant.nozzle.elasticsearch.name", stream,
                     "hydrant.nozzle.elasticsearch.template-name", stream,
                     "hydrant.nozzle.elasticsearch.concurrency", "3"))) {
            for (int i = 0; i < sent.size(); i += 50) {
                firehose.publish(sent.subList(i, Math.min(sent.size(), i + 50)).toArray(Envelope[]::new));
            }
            awaitSettled(nozzle, sent.size());
            assertThat(nozzle.metric(BulkMetrics.INDEXED)).isEqualTo(sent.size());
            assertThat(nozzle.metric("nozzle.written")).isEqualTo(sent.size());
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("UP");

            json(node.send("POST", stream + "/_refresh", null));
            String from = Instant.ofEpochSecond(0, start).toString();
            String to = Instant.ofEpochSecond(0, start + 150 * 1_000L).toString();
            JsonNode found = json(node.send("POST", stream + "/_search", """
                    {"size":100,"query":{"bool":{"filter":[{"term":{"source_id":"app-a"}},
                     {"range":{"@timestamp":{"gte":"%s","lt":"%s"}}}],
                     "must":[{"match":{"message":"served"}}]}}}""".formatted(from, to)));
            // app-a's logs are the even ones; those stamped in [start, start + 150 us) are 0, 2, ... 148
            assertThat(found.path("hits").path("total").path("value").asInt()).isEqualTo(75);
            JsonNode one = json(node.send("POST", stream + "/_search", """
                    {"query":{"bool":{"filter":[{"term":{"source_id":"app-a"}}],
                     "must":[{"match_phrase":{"message":"request 42 served"}}]}}}""")).path("hits").path("hits");
            assertThat(one).hasSize(1);
            JsonNode document = one.get(0).path("_source");
            assertThat(document.path("message").asString()).isEqualTo("request 42 served in 42 ms");
            assertThat(document.path("@timestamp").asString()).isEqualTo(Instant.ofEpochSecond(0, start + 42_000L).toString());
            assertThat(document.path("log_type").asString()).isEqualTo("ERR");
            assertThat(document.path("message_type").asString()).isEqualTo("log");
            assertThat(document.path("instance_id").asString()).isEqualTo("0");
            assertThat(document.path("tags").path("source_type").asString()).isEqualTo("APP/PROC/WEB");

            JsonNode mapping = json(node.get(stream + "/_mapping")).values().iterator().next().path("mappings").path("properties");
            assertThat(type(mapping, "@timestamp")).isEqualTo("date_nanos");
            assertThat(type(mapping, "source_id")).isEqualTo("keyword");
            assertThat(type(mapping, "instance_id")).isEqualTo("keyword");
            assertThat(type(mapping, "message_type")).isEqualTo("keyword");
            assertThat(type(mapping, "message")).isEqualTo("text");
            assertThat(type(mapping, "log_type")).isEqualTo("keyword");
            assertThat(type(mapping, "tags.source_type")).isEqualTo("keyword");
            assertThat(type(mapping, "counter.total")).isEqualTo("long");
            assertThat(type(mapping, "gauge.memory.value")).isEqualTo("double");
            assertThat(type(mapping, "gauge.cpu.unit")).isEqualTo("keyword");
            assertThat(type(mapping, "timer.start")).isEqualTo("date_nanos");
            assertThat(type(mapping, "event.body")).isEqualTo("text");
            assertThat(json(node.get("_data_stream/" + stream)).path("data_streams").get(0).path("name").asString())
                    .isEqualTo(stream);
        }
    }

    @Test
    void dailyIndices_holdEachEnvelopeInTheIndexOfItsUtcDay() throws Exception {
        String prefix = "hydrant-daily";
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = nozzle(firehose, Map.of("hydrant.nozzle.elasticsearch.mode", "daily",
                     "hydrant.nozzle.elasticsearch.name", prefix,
                     "hydrant.nozzle.elasticsearch.template-name", prefix))) {
            firehose.publish(Envelopes.log("app-d", "last of the year", Envelopes.nanos("2025-12-31T23:59:59.999999999Z")),
                    Envelopes.log("app-d", "first of the year", Envelopes.nanos("2026-01-01T00:00:00Z")),
                    Envelopes.log("app-d", "second of the year", Envelopes.nanos("2026-01-01T00:00:01Z")));
            awaitSettled(nozzle, 3);
            assertThat(nozzle.metric(BulkMetrics.INDEXED)).isEqualTo(3);

            json(node.send("POST", prefix + "-*/_refresh", null));
            assertThat(json(node.get(prefix + "-2025.12.31/_count")).path("count").asInt()).isEqualTo(1);
            assertThat(json(node.get(prefix + "-2026.01.01/_count")).path("count").asInt()).isEqualTo(2);
            JsonNode mapping = json(node.get(prefix + "-2025.12.31/_mapping")).path(prefix + "-2025.12.31")
                    .path("mappings").path("properties");
            assertThat(type(mapping, "@timestamp")).isEqualTo("date_nanos");
            assertThat(type(mapping, "message")).isEqualTo("text");
            assertThat(node.get("_data_stream/" + prefix).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void documentsTheMappingRefuses_areCountedByReason_andLoggedOncePerKind() throws Exception {
        String stream = "hydrant-rejects";
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = nozzle(firehose, Map.of("hydrant.nozzle.elasticsearch.name", stream,
                     "hydrant.nozzle.elasticsearch.template-name", stream));
             LogCapture log = new LogCapture()) { // after the start, which configures logging afresh
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Envelope good = Envelopes.log("app-r", "good " + i);
                // a tag with an empty key: a field without a name, which no mapping takes
                batch.add(i % 2 == 0 ? good : good.toBuilder().putTags("", "no name").build());
            }
            firehose.publish(batch.toArray(Envelope[]::new));
            firehose.publish(Envelopes.log("app-r", "bad again").toBuilder().putTags("", "no name").build());
            awaitSettled(nozzle, 11);

            assertThat(nozzle.metric(BulkMetrics.INDEXED)).isEqualTo(5);
            assertThat(nozzle.metric(BulkMetrics.REJECTED, "reason", "mapping")).isEqualTo(6);
            assertThat(nozzle.metric(BulkMetrics.REJECTED, "reason", "other")).isZero();
            assertThat(nozzle.metric(BulkMetrics.RETRIED)).isZero();
            assertThat(nozzle.metric("nozzle.written")).isEqualTo(11);
            assertThat(log.lines("ERROR", "mapper_parsing_exception")).hasSize(1);
            json(node.send("POST", stream + "/_refresh", null));
            assertThat(json(node.get(stream + "/_count")).path("count").asInt()).isEqualTo(5);
        }
    }

    /** The type of a dotted field path in a mapping's properties. */
    private static String type(JsonNode properties, String path) {
        JsonNode node = properties;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            node = node.path(parts[i]);
            if (i < parts.length - 1) {
                node = node.path("properties");
            }
        }
        return node.path("type").asString("(none)");
    }
}
