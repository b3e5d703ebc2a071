package dev.hydrant.nozzles.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.elasticsearch.bulk.BulkMetrics;
import dev.hydrant.nozzles.elasticsearch.servers.FakeCluster;
import dev.hydrant.nozzles.elasticsearch.servers.NozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.kafka.EnvelopeTopic;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code hydrant.nozzle.source=kafka} the nozzle reads the topic nozzles/kafka writes from a real KRaft
 * broker instead of the firehose, and commits its group's offsets once the cluster has the documents.
 */
class KafkaSourceTest {

    /** Not read: with source=kafka the Traffic Controller's address is not used. */
    private static final String NO_FIREHOSE = "http://127.0.0.1:9";

    @Test
    void envelopesInTheTopic_areIndexed_andTheGroupCommitsUpToTheEnd(@TempDir Path dir) throws Exception {
        List<Envelope> envelopes = new ArrayList<>(Envelopes.logs("app-1", "line", 0, 20));
        envelopes.addAll(Envelopes.logs("app-2", "line", 20, 30));

        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeCluster cluster = FakeCluster.http(null, 0)) {
            broker.createTopic("hydrant-envelopes", 2);
            try (EnvelopeTopic topic = new EnvelopeTopic(broker.bootstrapServers(), "hydrant-envelopes")) {
                topic.send(envelopes);
            }
            try (NozzleRunner nozzle = new NozzleRunner(NO_FIREHOSE, cluster.url(), Map.of(
                    "hydrant.nozzle.source", "kafka",
                    "hydrant.nozzle.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "hydrant.nozzle.kafka.group-id", "elasticsearch",
                    "hydrant.nozzle.batch-size", "10"))) {

                await("every document indexed").atMost(Patience.PATIENCE)
                        .until(() -> nozzle.metric(BulkMetrics.INDEXED) >= envelopes.size());
                await("the group's offsets committed up to the end of the topic").atMost(Patience.WAIT)
                        .until(() -> broker.uncommitted("elasticsearch", "hydrant-envelopes") == 0);

                JsonMapper json = JsonMapper.builder().build();
                List<JsonNode> documents = cluster.accepted().stream().map(json::readTree).toList();
                assertThat(documents).extracting(d -> d.path("message").asString())
                        .containsExactlyInAnyOrderElementsOf(
                                envelopes.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList());
                assertThat(documents).filteredOn(d -> d.path("message").asString().equals("line-25")).singleElement()
                        .satisfies(d -> assertThat(d.path("source_id").asString()).isEqualTo("app-2"));
                assertThat(nozzle.metric("nozzle.kafka.read")).isEqualTo(envelopes.size());
                assertThat(nozzle.metric("nozzle.dropped")).isZero();
            }
        }
    }
}
