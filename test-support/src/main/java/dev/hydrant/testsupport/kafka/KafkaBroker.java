package dev.hydrant.testsupport.kafka;

import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.process.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one node), from the {@code kafka_2.13} jar on
 * Maven Central, run as a child process ({@code kafka.Kafka}) so its threads, static state and exit calls stay
 * out of the test's JVM. Its storage is formatted first ({@code kafka.tools.StorageTool}); its two ports are
 * free ports found just before it starts, and a start that loses one of them to another process is retried.
 * A module whose tests start one declares {@code org.apache.kafka:kafka_2.13} and {@code kafka-clients} with test
 * scope (both are optional here).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final ChildJvm process;
    private final String bootstrapServers;
    private final Admin admin;

    private KafkaBroker(ChildJvm process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** A broker for tests: small heap, quick compiler. */
    public static KafkaBroker start(Path dir) throws Exception {
        return start(dir, TEST_JVM);
    }

    public static KafkaBroker start(Path dir, List<String> jvmOptions) throws Exception {
        return start(dir, jvmOptions, 0);
    }

    /**
     * A broker for tests listening on {@code brokerPort} (its controller on a free port): for a client started
     * before the broker, against an address where nothing listened yet. The port must be free.
     */
    public static KafkaBroker startOnPort(Path dir, int brokerPort) throws Exception {
        return start(dir, TEST_JVM, brokerPort);
    }

    private static KafkaBroker start(Path dir, List<String> jvmOptions, int fixedBrokerPort) throws Exception {
        IllegalStateException failure = new IllegalStateException("the Kafka broker did not start");
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path home = Files.createDirectories(dir.resolve("kafka-" + attempt));
            int brokerPort = fixedBrokerPort > 0 ? fixedBrokerPort : freePort();
            int controllerPort = freePort();
            Path config = home.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + home.resolve("data"),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
            Path logback = home.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            List<String> options = new ArrayList<>(jvmOptions);
            options.add("-Dlogback.configurationFile=" + logback);
            Path log = home.resolve("broker.log");
            ChildJvm format = ChildJvm.start("kafka.tools.StorageTool", options,
                    List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
            int formatted = format.waitFor(120);
            if (formatted != 0) {
                format.close();
                throw new IllegalStateException("formatting the Kafka storage failed (" + formatted + "):\n" + format.tail());
            }
            ChildJvm broker = ChildJvm.start("kafka.Kafka", options, List.of(config.toString()), log);
            KafkaBroker started = new KafkaBroker(broker, "127.0.0.1:" + brokerPort);
            try {
                await("the Kafka broker answering").atMost(Patience.PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            if (!broker.isAlive()) {
                                throw new IllegalStateException("the Kafka broker exited:\n" + broker.tail());
                            }
                            return started.answers();
                        });
                return started;
            } catch (RuntimeException e) {
                started.close();
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        return admin;
    }

    /** Creates {@code topic} with {@code partitions} partitions and waits until it is there. */
    public void createTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of());
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and the topic configs {@code configs} (e.g.
     * {@code max.message.bytes}) and waits until it is there.
     */
    public void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                .all().get(60, TimeUnit.SECONDS);
        await("topic " + topic).atMost(Patience.WAIT)
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size()
                        == partitions);
    }

    /**
     * Records of {@code topic} that consumer group {@code group} has not committed: the end offsets minus the
     * committed offsets, summed over the partitions (a partition without a committed offset counts from 0).
     */
    public long uncommitted(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long uncommitted = 0;
        for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            uncommitted += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return uncommitted;
    }

    private boolean answers() {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        admin.close(Duration.ofSeconds(5));
        process.close();
    }
}
