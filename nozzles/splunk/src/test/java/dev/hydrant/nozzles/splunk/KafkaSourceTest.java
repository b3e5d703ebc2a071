package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.kafka.EnvelopeTopic;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * With {@code hydrant.nozzle.source=kafka} the Splunk nozzle reads the topic nozzles/kafka writes (key = source
 * id, value = the envelope's bytes) from a real KRaft broker instead of the firehose, and commits its group's
 * offsets once the HEC has the events.
 */
class KafkaSourceTest {

    private static final long AT = Envelopes.nanos("2026-11-28T08:00:20.5Z");
    private static final int LINES = 25;

    @Test
    void envelopesInTheTopic_reachTheHecWithTheirFields_andTheGroupCommitsUpToTheEnd(@TempDir Path dir)
            throws Exception {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            envelopes.add(envelope("app-" + i % 2).setLog(Log.newBuilder().setType(Log.Type.OUT)
                    .setPayload(ByteString.copyFromUtf8("line " + i))).build());
        }
        envelopes.add(envelope("doppler").setCounter(Counter.newBuilder().setName("ingress").setDelta(5).setTotal(1200))
                .build());

        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeHec hec = new FakeHec("hec-token")) {
            broker.createTopic("hydrant-envelopes", 2);
            try (EnvelopeTopic topic = new EnvelopeTopic(broker.bootstrapServers(), "hydrant-envelopes")) {
                topic.send(envelopes);
            }
            try (SplunkNozzleRunner nozzle = new SplunkNozzleRunner(hec.url("http"), Map.of(
                    "hydrant.nozzle.source", "kafka",
                    "hydrant.nozzle.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "hydrant.nozzle.kafka.group-id", "splunk",
                    "hydrant.nozzle.batch-size", "10",
                    "hydrant.nozzle.splunk.index", "cf_logs"))) {

                await("every envelope at the HEC").atMost(Patience.PATIENCE)
                        .until(() -> hec.eventCount() >= envelopes.size());
                await("the HEC's answers counted").atMost(Patience.WAIT)
                        .until(() -> nozzle.count("splunk.events.sent") == envelopes.size());
                await("the group's offsets committed up to the end of the topic").atMost(Patience.WAIT)
                        .until(() -> broker.uncommitted("splunk", "hydrant-envelopes") == 0);

                List<String> messages = hec.events().stream().map(e -> e.path("event").path("msg").asString())
                        .filter(m -> !m.isEmpty()).toList();
                assertThat(messages).containsExactlyInAnyOrderElementsOf(
                        envelopes.stream().filter(Envelope::hasLog).map(e -> e.getLog().getPayload().toStringUtf8())
                                .toList());
                JsonNode log = hec.events().stream().filter(e -> e.path("event").path("msg").asString().equals("line 3"))
                        .findFirst().orElseThrow();
                assertThat(log.path("sourcetype").asString()).isEqualTo("cf:logmessage");
                assertThat(log.path("time").asDouble()).isEqualTo(1795852820.5);
                assertThat(log.path("source").asString()).isEqualTo("app-1");
                assertThat(log.path("host").asString()).isEqualTo("10.0.16.7");
                assertThat(log.path("index").asString()).isEqualTo("cf_logs");
                assertThat(log.path("event").path("message_type").asString()).isEqualTo("OUT");
                assertThat(log.path("fields").path("source_id").asString()).isEqualTo("app-1");
                JsonNode counter = hec.events().stream()
                        .filter(e -> e.path("sourcetype").asString().equals("cf:counterevent")).findFirst().orElseThrow();
                assertThat(counter.path("fields").path("metric_name:ingress").asDouble()).isEqualTo(1200);
                assertThat(counter.path("source").asString()).isEqualTo("doppler");

                assertThat(nozzle.count("nozzle.kafka.read")).isEqualTo(envelopes.size());
                assertThat(nozzle.count("nozzle.dropped")).isZero();
            }
        }
    }

    private static Envelope.Builder envelope(String sourceId) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("0").setTimestamp(AT)
                .putTags("ip", "10.0.16.7");
    }
}
