package dev.hydrant.nozzles.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.kafka.KafkaSource;
import dev.hydrant.nozzle.kafka.KafkaSourceSettings;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nozzle SDK's Kafka source with a NozzleRuntime, against a real broker. */
class KafkaSourceTest {

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void aFullBufferPausesReading_andNothingIsDropped() throws Exception {
        broker.createTopic("slow", 2);
        List<String> sent;
        try (TopicRecords topic = new TopicRecords(broker.bootstrapServers(), "slow")) {
            sent = topic.sendEnvelopes(5, 0, 1000);
        }
        CountDownLatch open = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NozzleRuntime runtime = runtime(batch -> {
            open.await();
            batch.forEach(envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()));
        }, registry, 100, 10).start(source("slow", "slow-group", registry));
        try {
            await("reading paused").atMost(Patience.WAIT).until(() -> gauge(registry, "nozzle.kafka.paused") == 1);
            assertThat(gauge(registry, "nozzle.buffer.size")).isLessThanOrEqualTo(100);
            assertThat(runtime.health().received()).as("buffered plus the batch held by the sink")
                    .isLessThanOrEqualTo(110);
            open.countDown();
            await("all written").atMost(Patience.PATIENCE).until(() -> written.size() >= sent.size());
            assertThat(written).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(runtime.dropped()).isZero();
            await("reading resumed").atMost(Patience.WAIT).until(() -> gauge(registry, "nozzle.kafka.paused") == 0);
        } finally {
            open.countDown();
            runtime.close();
        }
        assertThat(committed("slow-group", "slow")).isEqualTo(sent.size());
    }

    @Test
    void aFailingSinkIsRetriedUntilItTakesTheBatch_neverDropped() throws Exception {
        broker.createTopic("failing", 1);
        List<String> sent;
        try (TopicRecords topic = new TopicRecords(broker.bootstrapServers(), "failing")) {
            sent = topic.sendEnvelopes(2, 0, 50);
        }
        AtomicInteger failures = new AtomicInteger(12);
        List<String> written = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NozzleRuntime runtime = runtime(batch -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the sink is down");
            }
            batch.forEach(envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()));
        }, registry, 1000, 100).start(source("failing", "failing-group", registry));
        try {
            await("all written").atMost(Patience.PATIENCE).until(() -> written.size() >= sent.size());
            assertThat(written).containsExactlyElementsOf(sent);
            assertThat(runtime.health().sinkErrors()).isEqualTo(12);
            assertThat(runtime.dropped()).isZero();
        } finally {
            runtime.close();
        }
    }

    @Test
    void aCorruptRecordIsSkippedAndCounted_andTheRecordsAfterItAreWrittenAndCommitted() throws Exception {
        broker.createTopic("corrupt", 1);
        List<String> sent;
        try (TopicRecords topic = new TopicRecords(broker.bootstrapServers(), "corrupt")) {
            List<String> before = topic.sendEnvelopes(1, 0, 10);
            topic.sendRaw("app-0".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            topic.sendRaw("app-0".getBytes(StandardCharsets.UTF_8), null);
            topic.sendRaw("app-0".getBytes(StandardCharsets.UTF_8),
                    Envelope.newBuilder().setSourceId("app-0").build().toByteArray());
            List<String> after = topic.sendEnvelopes(1, 10, 20);
            sent = new java.util.ArrayList<>(before);
            sent.addAll(after);
        }
        List<String> written = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NozzleRuntime runtime = runtime(batch -> batch.forEach(
                envelope -> written.add(envelope.getLog().getPayload().toStringUtf8())), registry, 1000, 100)
                .start(source("corrupt", "corrupt-group", registry));
        try {
            await("all written").atMost(Patience.PATIENCE).until(() -> written.size() >= sent.size());
            assertThat(written).containsExactlyElementsOf(sent);
            assertThat(registry.get("nozzle.kafka.corrupt").functionCounter().count()).isEqualTo(3);
            await("everything committed, the corrupt records too").atMost(Patience.WAIT)
                    .until(() -> committed("corrupt-group", "corrupt") == 23);
        } finally {
            runtime.close();
        }
    }

    @Test
    void aRestartedReaderResumesAtTheCommittedOffsets_withNothingWrittenTwice() throws Exception {
        broker.createTopic("resume", 3);
        List<String> written = new CopyOnWriteArrayList<>();
        NozzleSink sink = batch -> batch.forEach(envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()));
        try (TopicRecords topic = new TopicRecords(broker.bootstrapServers(), "resume")) {
            List<String> first = topic.sendEnvelopes(4, 0, 100);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            NozzleRuntime runtime = runtime(sink, registry, 1000, 100).start(source("resume", "resume-group", registry));
            await("the first part written").atMost(Patience.PATIENCE).until(() -> written.size() >= first.size());
            runtime.close();
            List<String> second = topic.sendEnvelopes(4, 100, 200);
            SimpleMeterRegistry again = new SimpleMeterRegistry();
            NozzleRuntime restarted = runtime(sink, again, 1000, 100).start(source("resume", "resume-group", again));
            try {
                await("the second part written").atMost(Patience.PATIENCE)
                        .until(() -> written.size() >= first.size() + second.size());
                List<String> all = new java.util.ArrayList<>(first);
                all.addAll(second);
                assertThat(written).containsExactlyInAnyOrderElementsOf(all);
            } finally {
                restarted.close();
            }
        }
    }

    private static NozzleRuntime runtime(NozzleSink sink, SimpleMeterRegistry registry, int bufferSize, int batchSize) {
        return NozzleRuntime.builder(sink).bufferSize(bufferSize).batchSize(batchSize)
                .batchInterval(Duration.ofMillis(20)).retry(5, Duration.ofMillis(5), Duration.ofMillis(20))
                .meterRegistry(registry).build();
    }

    private static KafkaSource source(String topic, String group, SimpleMeterRegistry registry) {
        return new KafkaSource(new KafkaSourceSettings("nozzle", broker.bootstrapServers(), topic, group,
                Map.of("max.poll.records", "500"), Duration.ofMillis(200), Duration.ofSeconds(10)),
                ConnectionListener.none(), registry);
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    /** The group's committed offsets on the topic, added up. */
    private static long committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
