package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.Health;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.kafka.EnvelopeTopic;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code hydrant.nozzle.source=kafka} the sink settles each batch (answered, acknowledged when asked) before
 * the SDK commits its offsets, and fails it (so that it is written again from the topic) rather than dropping
 * what the HEC did not take: a long burst of 503s and a refused token lose nothing the topic holds, a batch
 * written again does not send its requests already taken, an invalid event is still rejected and counted, and
 * the counts stay exact. Each test starts its own KRaft broker and HEC.
 */
class KafkaReplayTest {

    private static final String TOPIC = "hydrant-envelopes";
    private static final String GROUP = "splunk";

    @Test
    void aBurstOf503sLongerThanTheRetries_losesNothing_andTheGroupCommitsUpToTheEnd(@TempDir Path dir) throws Exception {
        List<Envelope> envelopes = lines(60, "x".repeat(120));
        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeHec hec = new FakeHec("hec-token")) {
            fill(broker, envelopes);
            // the first batch's first request is taken, its second given up after 3 attempts; then more fail
            hec.queue(FakeHec.Answer.asUsual(), 1);
            hec.queue(FakeHec.Answer.busy(), 40);
            try (SplunkNozzleRunner nozzle = new SplunkNozzleRunner(hec.url("http"), settings(broker, Map.of(
                    "hydrant.nozzle.splunk.retry.max-attempts", "3",
                    "hydrant.nozzle.splunk.max-batch-bytes", "1KB", // several requests per batch
                    "hydrant.nozzle.splunk.max-in-flight", "1")))) {

                await("every envelope of the topic at the HEC").atMost(Patience.PATIENCE)
                        .until(() -> messages(hec).size() == envelopes.size());
                await("the group's offsets committed up to the end of the topic").atMost(Patience.WAIT)
                        .until(() -> broker.uncommitted(GROUP, TOPIC) == 0);
                await("every envelope written").atMost(Patience.WAIT)
                        .until(() -> nozzle.count("nozzle.written") == envelopes.size());

                assertThat(messages(hec)).isEqualTo(payloads(envelopes));
                assertThat(nozzle.count("nozzle.sink.errors")).as("batches the burst failed").isPositive();
                assertThat(nozzle.count("splunk.events.sent")).isEqualTo(envelopes.size());
                assertThat(nozzle.settled()).as("sent + rejected").isEqualTo(envelopes.size());
                assertThat(hec.eventCount()).as("each once: a batch written again sends only its requests not taken,"
                                + " not the first one taken before the burst")
                        .isEqualTo(envelopes.size());
                assertThat(nozzle.count("splunk.events.duplicated")).isZero();
                assertThat(nozzle.count("nozzle.dropped")).isZero();
            }
        }
    }

    @Test
    void aRefusedToken_commitsNothing_untilItIsAccepted_thenEveryEnvelopeArrivesOnce(@TempDir Path dir)
            throws Exception {
        List<Envelope> envelopes = lines(30, "");
        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeHec hec = new FakeHec("another-token")) {
            fill(broker, envelopes);
            try (SplunkNozzleRunner nozzle = new SplunkNozzleRunner(hec.url("http"), settings(broker, Map.of()))) {

                await("batches failing on the refused token").atMost(Patience.PATIENCE)
                        .until(() -> nozzle.count("nozzle.sink.errors") >= 3 && hec.eventRequests() >= 2);
                assertThat(Health.status(nozzle.port(), "splunk")).isEqualTo("DOWN");
                assertThat(broker.uncommitted(GROUP, TOPIC)).as("nothing committed while refused")
                        .isEqualTo(envelopes.size());
                assertThat(hec.eventCount()).isZero();
                assertThat(nozzle.settled()).as("nothing counted as sent or rejected").isZero();

                hec.token("hec-token");
                await("the group's offsets committed up to the end of the topic").atMost(Patience.PATIENCE)
                        .until(() -> broker.uncommitted(GROUP, TOPIC) == 0);
                await("every envelope counted as sent").atMost(Patience.WAIT)
                        .until(() -> nozzle.count("splunk.events.sent") == envelopes.size());

                assertThat(messages(hec)).isEqualTo(payloads(envelopes));
                assertThat(hec.eventCount()).as("one request per batch: a refused one sent nothing").isEqualTo(
                        envelopes.size());
                assertThat(nozzle.count("splunk.events.duplicated")).isZero();
                assertThat(nozzle.settled()).isEqualTo(envelopes.size());
                assertThat(nozzle.count("nozzle.dropped")).isZero();
                await("health UP").atMost(Patience.WAIT)
                        .until(() -> Health.status(nozzle.port(), "splunk").equals("UP"));
            }
        }
    }

    @Test
    void withAcknowledgement_aBatchIsCommittedOnlyOnceTheHecAcknowledgesIt(@TempDir Path dir) throws Exception {
        List<Envelope> envelopes = lines(30, "");
        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeHec hec = new FakeHec("hec-token")) {
            fill(broker, envelopes);
            hec.ackEnabled(true);
            hec.holdAcks(true);
            try (SplunkNozzleRunner nozzle = new SplunkNozzleRunner(hec.url("http"), settings(broker, Map.of(
                    "hydrant.nozzle.splunk.ack.enabled", "true",
                    "hydrant.nozzle.splunk.ack.poll-interval", "50ms")))) {

                // a batch is at most batch-size (10), fewer when the first poll brought fewer within batch-interval
                await("the first batch accepted, its acknowledgement asked for").atMost(Patience.PATIENCE)
                        .until(() -> hec.eventCount() > 0 && hec.ackQueries() >= 3);
                long first = hec.eventCount();
                assertThat(first).as("one batch").isBetween(1L, 10L);
                assertThat(broker.uncommitted(GROUP, TOPIC)).as("nothing committed before the acknowledgement")
                        .isEqualTo(envelopes.size());
                assertThat(hec.eventCount()).as("the next batch waits for it").isEqualTo(first);
                assertThat(nozzle.count("splunk.events.sent")).isZero();

                hec.holdAcks(false);
                await("the group's offsets committed up to the end of the topic").atMost(Patience.PATIENCE)
                        .until(() -> broker.uncommitted(GROUP, TOPIC) == 0);
                await("every envelope counted as sent").atMost(Patience.WAIT)
                        .until(() -> nozzle.count("splunk.events.sent") == envelopes.size());
                assertThat(hec.eventCount()).isEqualTo(envelopes.size());
                assertThat(nozzle.gauge("splunk.acks.pending")).isZero();
            }
        }
    }

    @Test
    void anInvalidEvent_isRejectedAndCounted_andDoesNotHoldThePartitionUp(@TempDir Path dir) throws Exception {
        List<Envelope> envelopes = lines(30, "");
        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeHec hec = new FakeHec("hec-token")) {
            fill(broker, envelopes);
            hec.refuseEventAt(3); // the events before it are indexed, the rest of its request sent again
            try (SplunkNozzleRunner nozzle = new SplunkNozzleRunner(hec.url("http"), settings(broker, Map.of()))) {

                await("the group's offsets committed up to the end of the topic").atMost(Patience.PATIENCE)
                        .until(() -> broker.uncommitted(GROUP, TOPIC) == 0);
                await("every envelope written").atMost(Patience.WAIT)
                        .until(() -> nozzle.count("nozzle.written") == envelopes.size());

                assertThat(nozzle.count("splunk.events.rejected", "reason", "invalid")).isEqualTo(1);
                assertThat(nozzle.count("splunk.events.sent")).isEqualTo(envelopes.size() - 1);
                assertThat(hec.eventCount()).isEqualTo(envelopes.size() - 1);
                assertThat(nozzle.count("nozzle.sink.errors")).isZero();
            }
        }
    }

    private static Map<String, String> settings(KafkaBroker broker, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "hydrant.nozzle.source", "kafka",
                "hydrant.nozzle.kafka.bootstrap-servers", broker.bootstrapServers(),
                "hydrant.nozzle.kafka.group-id", GROUP,
                "hydrant.nozzle.batch-size", "10"));
        settings.putAll(more);
        return settings;
    }

    private static void fill(KafkaBroker broker, List<Envelope> envelopes) throws Exception {
        broker.createTopic(TOPIC, 2);
        try (EnvelopeTopic topic = new EnvelopeTopic(broker.bootstrapServers(), TOPIC)) {
            topic.send(envelopes);
        }
    }

    private static List<Envelope> lines(int count, String padding) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(Envelope.newBuilder().setSourceId("app-" + i % 3).setInstanceId("0")
                    .setTimestamp(1_795_852_820_000_000_000L + i)
                    .setLog(Log.newBuilder().setType(Log.Type.OUT)
                            .setPayload(ByteString.copyFromUtf8("line " + i + " " + padding))).build());
        }
        return envelopes;
    }

    private static Set<String> payloads(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> e.getLog().getPayload().toStringUtf8()).collect(Collectors.toSet());
    }

    /** The distinct log lines at the HEC. */
    private static Set<String> messages(FakeHec hec) {
        return hec.events().stream().map(e -> e.path("event").path("msg").asString()).collect(Collectors.toSet());
    }
}
