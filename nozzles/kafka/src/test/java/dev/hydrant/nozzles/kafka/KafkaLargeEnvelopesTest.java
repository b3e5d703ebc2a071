package dev.hydrant.nozzles.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.kafka.KafkaSource;
import dev.hydrant.nozzle.kafka.KafkaSourceSettings;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzles.kafka.sink.KafkaEnvelopeSink;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Envelopes of several MiB (Hydrant takes up to 10 MiB at ingress; Kafka's producer and brokers default to
 * 1 MiB) through the Kafka nozzle into a real broker: written whole to a topic made for them and read back by
 * the SDK's Kafka source; refused by a topic with a 1 MiB limit, each dropped and counted, one log line, while
 * every other envelope of their batches is written and the nozzle carries on.
 */
class KafkaLargeEnvelopesTest {

    /** Random payload bytes, so lz4 cannot shrink a large envelope under a limit. */
    private static final int[] LARGE_MIB = {2, 4, 7};

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
    void envelopesOfSeveralMiB_areWrittenWhole_intoATopicMadeForThem_andTheSdksKafkaSourceReadsThemBack()
            throws Exception {
        broker.createTopic("large", 1, Map.of("max.message.bytes", Long.toString(KafkaEnvelopeSink.LARGEST_RECORD)));
        List<Envelope> published = new ArrayList<>();
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             ConfigurableApplicationContext nozzle = nozzle(firehose, "large")) {
            MeterRegistry registry = nozzle.getBean(MeterRegistry.class);
            await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
            publishMixture(firehose, registry, published);
            await("every envelope written").atMost(Patience.PATIENCE)
                    .until(() -> count(registry, "nozzle.written") == published.size());
            assertThat(count(registry, "kafka.sink.sent")).isEqualTo(published.size());
            assertThat(count(registry, "kafka.sink.too.large")).isZero();
            assertThat(count(registry, "kafka.sink.failed")).isZero();
            assertThat(count(registry, "nozzle.dropped")).isZero();
        }

        List<Envelope> read = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NozzleRuntime runtime = NozzleRuntime.builder(read::addAll).bufferSize(100).batchSize(10)
                .batchInterval(Duration.ofMillis(20)).meterRegistry(registry).build()
                .start(new KafkaSource(new KafkaSourceSettings("large-reader", broker.bootstrapServers(), "large",
                        "large-readers", Map.of(), Duration.ofMillis(200), Duration.ofSeconds(10)),
                        ConnectionListener.none(), registry));
        try {
            await("the Kafka source reading every record").atMost(Patience.PATIENCE)
                    .until(() -> read.size() >= published.size());
            assertThat(read).as("every envelope, the large ones whole, in order").containsExactlyElementsOf(published);
            assertThat(count(registry, "nozzle.kafka.corrupt")).isZero();
        } finally {
            runtime.close();
        }
    }

    @Test
    void aTopicRefusingLargeRecords_dropsAndCountsEachOne_logsOnce_andWritesEveryOtherEnvelopeOfItsBatch()
            throws Exception {
        broker.createTopic("small", 1, Map.of("max.message.bytes", Integer.toString(1024 * 1024)));
        List<Envelope> published = new ArrayList<>();
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             ConfigurableApplicationContext nozzle = nozzle(firehose, "small")) {
            ListAppender<ILoggingEvent> log = capture();
            long start = System.nanoTime();
            MeterRegistry registry = nozzle.getBean(MeterRegistry.class);
            await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
            publishMixture(firehose, registry, published);
            await("every envelope through the sink").atMost(Patience.PATIENCE)
                    .until(() -> count(registry, "nozzle.written") == published.size());
            List<Envelope> normal = published.stream().filter(e -> e.getLog().getPayload().size() < 1024).toList();
            assertThat(count(registry, "kafka.sink.too.large")).as("each large envelope, once")
                    .isEqualTo(LARGE_MIB.length);
            assertThat(count(registry, "kafka.sink.sent")).isEqualTo(normal.size());
            assertThat(count(registry, "kafka.sink.failed")).isZero();
            assertThat(count(registry, "nozzle.dropped")).isZero();
            assertThat(count(registry, "nozzle.sink.errors")).isZero();

            List<Envelope> after = new ArrayList<>();
            for (int seq = 0; seq < 20; seq++) {
                after.add(envelope("after", seq, 10));
            }
            firehose.publish(after.toArray(Envelope[]::new));
            List<Envelope> expected = new ArrayList<>(normal);
            expected.addAll(after);
            assertThat(readAll( "small", expected.size()))
                    .as("every other envelope, once, in order; the nozzle carrying on").containsExactlyElementsOf(expected);

            List<String> warnings = events(log).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            boolean withinAMinute = System.nanoTime() - start < Duration.ofSeconds(59).toNanos();
            assertThat(warnings).as("one line a minute at most, for the three").hasSizeBetween(1,
                    withinAMinute ? 1 : LARGE_MIB.length);
            assertThat(warnings.get(0)).contains("too large").contains("max.message.bytes")
                    .contains("max.request.size");
        }
    }

    /**
     * Normal envelopes of two sources, with the large ones among them: each large one in the middle of a batch
     * of the firehose (one SSE event), so the nozzle writes it in one batch with normal ones.
     */
    private static void publishMixture(FakeTrafficController firehose, MeterRegistry registry, List<Envelope> published) {
        int seq = 0;
        for (int mib : LARGE_MIB) {
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                if (i == 5) {
                    batch.add(envelope("app-a", seq++, mib * 1024 * 1024));
                }
                batch.add(envelope(i % 2 == 0 ? "app-a" : "app-b", seq++, 20));
            }
            firehose.publish(batch.toArray(Envelope[]::new));
            published.addAll(batch);
            int expected = published.size();
            await("received " + expected).atMost(Patience.WAIT)
                    .until(() -> count(registry, "nozzle.received") >= expected);
        }
        List<Envelope> tail = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tail.add(envelope("app-b", seq++, 20));
        }
        firehose.publish(tail.toArray(Envelope[]::new));
        published.addAll(tail);
    }

    private static Envelope envelope(String sourceId, int seq, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(seq).nextBytes(payload);
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(1_700_000_000_000_000_000L + seq)
                .putTags("seq", Integer.toString(seq))
                .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(payload)).setType(Log.Type.OUT)).build();
    }

    private static ConfigurableApplicationContext nozzle(FakeTrafficController firehose, String topic) {
        return new SpringApplicationBuilder(KafkaNozzleApplication.class)
                .properties(new HashMap<>(KafkaNozzleApplication.BOOT_DEFAULTS))
                .run("--server.port=0", "--hydrant.nozzle.url=" + firehose.baseUrl(),
                        "--hydrant.nozzle.batch-interval=200ms", "--hydrant.nozzle.sink-max-attempts=2",
                        "--hydrant.nozzle.kafka-sink.bootstrap-servers=" + broker.bootstrapServers(),
                        "--hydrant.nozzle.kafka-sink.topic=" + topic);
    }

    /** The envelopes of {@code topic}'s one partition, from the start, once {@code count} are read. */
    private static List<Envelope> readAll(String topic, int count) throws Exception {
        List<Envelope> envelopes = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("the topic holding " + count).atMost(Patience.PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    envelopes.add(Envelope.parseFrom(record.value()));
                }
                return envelopes.size() >= count;
            });
        }
        return envelopes;
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }

    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).meters().stream()
                .mapToDouble(m -> m.measure().iterator().next().getValue()).sum();
    }
}
