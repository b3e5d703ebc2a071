package dev.hydrant.nozzles.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The Kafka nozzle, with its real configuration, from a (fake) Traffic Controller into a real broker. */
class KafkaNozzleTest {

    @Test
    void writesTheFirehoseIntoTheTopic_keyedBySourceId_valuesEnvelopeBytes_inOrderPerSource(@TempDir Path dir)
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir);
             FakeTrafficController firehose = new FakeTrafficController().start()) {
            broker.createTopic("firehose", 3);
            try (ConfigurableApplicationContext nozzle = nozzle(firehose, broker, "firehose")) {
                await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
                List<Envelope> published = new ArrayList<>();
                PrometheusMeterRegistry registry = nozzle.getBean(PrometheusMeterRegistry.class);
                for (int step = 0; step < 10; step++) {
                    for (int batch = 0; batch < 10; batch++) {
                        List<Envelope> envelopes = new ArrayList<>();
                        for (int s = 0; s < 5; s++) {
                            envelopes.add(envelope("app-" + s, published.size() + envelopes.size()));
                        }
                        published.addAll(envelopes);
                        firehose.publish(envelopes.toArray(Envelope[]::new));
                    }
                    int expected = published.size();
                    await("received " + expected).atMost(Patience.WAIT)
                            .until(() -> registry.get("nozzle.received").functionCounter().count() >= expected);
                }
                List<ConsumerRecord<byte[], byte[]>> records = readAll(broker, "firehose", published.size());
                Map<String, List<Envelope>> bySource = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Envelope envelope = Envelope.parseFrom(record.value());
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(envelope.getSourceId());
                    bySource.computeIfAbsent(envelope.getSourceId(), id -> new ArrayList<>()).add(envelope);
                }
                for (int s = 0; s < 5; s++) {
                    String sourceId = "app-" + s;
                    assertThat(bySource.get(sourceId)).as("the envelopes of %s, in order", sourceId)
                            .containsExactlyElementsOf(published.stream()
                                    .filter(e -> e.getSourceId().equals(sourceId)).toList());
                }
                await("counted").atMost(Patience.WAIT)
                        .until(() -> registry.get("kafka.sink.sent").counter().count() >= published.size());
                assertThat(registry.get("kafka.sink.failed").counter().count()).isZero();
                MetricsTable.assertReadmesFollow(onlyNozzleMeters(registry), Path.of("README.md"),
                        Path.of("../../README.md"), "nozzles/kafka");
            }
        }
    }

    private static PrometheusMeterRegistry onlyNozzleMeters(PrometheusMeterRegistry registry) {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new dev.hydrant.nozzles.kafka.sink.KafkaSinkMetrics(own);
        return own;
    }

    static ConfigurableApplicationContext nozzle(FakeTrafficController firehose, KafkaBroker broker, String topic) {
        return new SpringApplicationBuilder(KafkaNozzleApplication.class)
                .properties(new HashMap<>(KafkaNozzleApplication.BOOT_DEFAULTS))
                .run("--server.port=0", "--hydrant.nozzle.url=" + firehose.baseUrl(),
                        "--hydrant.nozzle.batch-interval=20ms",
                        "--hydrant.nozzle.kafka-sink.bootstrap-servers=" + broker.bootstrapServers(),
                        "--hydrant.nozzle.kafka-sink.topic=" + topic);
    }

    private static Envelope envelope(String sourceId, int seq) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(1_700_000_000_000_000_000L + seq)
                .putTags("seq", Integer.toString(seq))
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("line " + seq)).setType(Log.Type.OUT))
                .build();
    }

    /** Every record of the topic, from the start, until {@code count} are read. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("the topic holding " + count).atMost(Patience.PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }
}
