package dev.hydrant.nozzles.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Kafka nozzle started where no broker listens: its writes fail within the write timeout (not once per
 * record), {@code kafkaSink} turns DOWN saying so, the log says it once, the SDK counts the failed attempts and
 * drops; then a broker comes up on that address, and the nozzle writes again.
 */
class KafkaSinkOutageTest {

    private static final String TOPIC = "outage";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void noBrokerReachable_isDownWithinTheWriteTimeout_warnedOnce_counted_thenUpAndWritingOnceABrokerListens(
            @TempDir Path dir) throws Exception {
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             ConfigurableApplicationContext nozzle = nozzle(firehose, bootstrap)) {
            ListAppender<ILoggingEvent> log = capture();
            MeterRegistry registry = nozzle.getBean(MeterRegistry.class);
            await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);

            firehose.publish(envelopes("before", 50));
            await("kafkaSink DOWN").atMost(Patience.WAIT).until(() -> health(nozzle, "kafkaSink").contains("\"DOWN\""));
            assertThat(health(nozzle, "kafkaSink")).contains("no broker reachable at " + bootstrap + " within 3s");
            firehose.publish(envelopes("during", 50));
            await("every batch tried twice, then dropped").atMost(Patience.PATIENCE)
                    .until(() -> count(registry, "nozzle.dropped", "reason", "sink") == 100);
            assertThat(count(registry, "nozzle.sink.errors")).isGreaterThanOrEqualTo(4);
            assertThat(count(registry, "nozzle.written")).isZero();
            assertThat(health(nozzle, "nozzle")).contains("\"DOWN\"").contains("no broker reachable at " + bootstrap);
            assertThat(warnings(log)).as("one warning for the outage, not one per batch or record").hasSize(1)
                    .allMatch(line -> line.contains("no broker reachable at " + bootstrap + " within 3s"));
            assertThat(events(log).stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("clientId=hydrant-kafka-nozzle") && m.contains("Rebootstrapping")))
                    .as("the producer's line per reconnect attempt, off in the nozzle's defaults").isEmpty();

            try (KafkaBroker broker = KafkaBroker.startOnPort(dir, port)) {
                AtomicInteger probes = new AtomicInteger();
                await("kafkaSink telling a missing topic from a missing broker").atMost(Patience.PATIENCE)
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            firehose.publish(envelopes("probe", 1));
                            probes.incrementAndGet();
                            String health = health(nozzle, "kafkaSink");
                            return health.contains("\"DOWN\"") && health.contains("Topic " + TOPIC + " not present")
                                    && !health.contains("no broker reachable");
                        });
                broker.createTopic(TOPIC, 1);
                await("kafkaSink UP").atMost(Patience.PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                    firehose.publish(envelopes("probe", 1));
                    probes.incrementAndGet();
                    return health(nozzle, "kafkaSink").contains("\"UP\"");
                });
                firehose.publish(envelopes("after", 100));
                assertThat(new LinkedHashSet<>(seqs(broker, "after", 100))).as("every envelope sent after the recovery")
                        .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(Integer::toString).toList());
                long published = 200 + probes.get();
                await("every envelope written or dropped").atMost(Patience.WAIT).until(() ->
                        count(registry, "nozzle.written") + count(registry, "nozzle.dropped") == published);
                assertThat(count(registry, "nozzle.received")).isEqualTo(published);
                assertThat(count(registry, "nozzle.dropped", "reason", "buffer")).isZero();
            }
            assertThat(count(registry, "kafka.sink.failed")).isPositive();
            assertThat(warnings(log)).as("still the one warning").hasSize(1);
            assertThat(events(log).stream().filter(e -> e.getLevel() == Level.INFO)
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("accepts batches again")))
                    .as("one line for the recovery").hasSize(1);
        }
    }

    private static ConfigurableApplicationContext nozzle(FakeTrafficController firehose, String bootstrap) {
        return new SpringApplicationBuilder(KafkaNozzleApplication.class)
                .properties(new HashMap<>(KafkaNozzleApplication.BOOT_DEFAULTS))
                .run("--server.port=0", "--hydrant.nozzle.url=" + firehose.baseUrl(),
                        "--hydrant.nozzle.batch-interval=20ms", "--hydrant.nozzle.sink-max-attempts=2",
                        "--hydrant.nozzle.kafka-sink.bootstrap-servers=" + bootstrap,
                        "--hydrant.nozzle.kafka-sink.topic=" + TOPIC,
                        "--hydrant.nozzle.kafka-sink.write-timeout=3s");
    }

    /** Everything logged in this JVM at INFO and above from now on (after Boot has set logging up). */
    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }

    /** A copy of what was logged so far (the appender keeps adding, from other threads). */
    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> log) {
        return events(log).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    private static String health(ConfigurableApplicationContext nozzle, String component) throws Exception {
        String port = nozzle.getEnvironment().getProperty("local.server.port");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + component))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).meters().stream()
                .mapToDouble(m -> m.measure().iterator().next().getValue()).sum();
    }

    private static Envelope[] envelopes(String sourceId, int count) {
        return IntStream.range(0, count).mapToObj(seq -> Envelope.newBuilder().setSourceId(sourceId)
                .setTimestamp(1_700_000_000_000_000_000L + seq).putTags("seq", Integer.toString(seq))
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(sourceId + " " + seq))
                        .setType(Log.Type.OUT)).build()).toArray(Envelope[]::new);
    }

    /** The {@code seq} tags of the topic's envelopes of {@code sourceId}, in order, once {@code count} are there. */
    private static List<String> seqs(KafkaBroker broker, String sourceId, int count) {
        List<String> seqs = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(count + " envelopes of " + sourceId + " in the topic").atMost(Patience.PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Envelope envelope = Envelope.parseFrom(record.value());
                    if (envelope.getSourceId().equals(sourceId)) {
                        seqs.add(envelope.getTagsOrThrow("seq"));
                    }
                }
                return new HashSet<>(seqs).size() >= count;
            });
        }
        return seqs;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
