package dev.hydrant.nozzles.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testapps.filesink.FileSinkNozzle;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import dev.hydrant.testsupport.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nozzle process reading from Kafka (source=kafka, a file sink with an fsync per batch) is killed with SIGKILL
 * in the middle of a run and started again: every envelope that reached the topic reaches the file, and what
 * it holds twice is at most one batch, the documented bound (written, not yet committed when killed).
 */
class KafkaSourceKillTest {

    private static final int BATCH = 100;

    @Test
    void aKilledAndRestartedNozzleWritesEveryEnvelopeOfTheTopic_withAtMostOneBatchTwice(@TempDir Path dir)
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("envelopes", 3);
            Path file = dir.resolve("sink.txt");
            List<String> sent = new ArrayList<>();
            try (TopicRecords topic = new TopicRecords(broker.bootstrapServers(), "envelopes")) {
                sent.addAll(topic.sendEnvelopes(10, 0, 2000));
                ChildJvm nozzle = nozzle(broker, file, dir);
                try {
                    await("the nozzle writing").atMost(Patience.PATIENCE).pollInterval(Duration.ofMillis(10))
                            .failFast("the nozzle exited:\n" + nozzle.tail(), () -> !nozzle.isAlive())
                            .until(() -> lines(file).size() >= 3000);
                } finally {
                    nozzle.kill();
                }
                int atKill = lines(file).size();
                sent.addAll(topic.sendEnvelopes(10, 2000, 3000));
                ChildJvm restarted = nozzle(broker, file, dir);
                try {
                    await("every envelope in the file").atMost(Patience.PATIENCE.multipliedBy(2))
                            .failFast("the nozzle exited:\n" + restarted.tail(), () -> !restarted.isAlive())
                            .until(() -> new HashSet<>(lines(file)).size() >= sent.size());
                } finally {
                    restarted.close();
                }
                List<String> written = lines(file);
                Set<String> distinct = new HashSet<>(written);
                assertThat(distinct).containsExactlyInAnyOrderElementsOf(sent);
                int duplicates = written.size() - distinct.size();
                System.out.printf("killed after %d lines; %d envelopes, %d lines, %d duplicates%n", atKill, sent.size(),
                        written.size(), duplicates);
                assertThat(duplicates).as("lines written twice").isLessThanOrEqualTo(BATCH);
            }
        }
    }

    private static ChildJvm nozzle(KafkaBroker broker, Path file, Path dir) throws IOException {
        return ChildJvm.start(FileSinkNozzle.class.getName(), List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"), List.of(
                "--spring.main.web-application-type=none",
                "--hydrant.nozzle.source=kafka",
                "--hydrant.nozzle.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--hydrant.nozzle.kafka.topic=envelopes",
                "--hydrant.nozzle.kafka.group-id=file-nozzle",
                // static membership: the restarted process takes its partitions back at once, as a StatefulSet's would
                "--hydrant.nozzle.kafka.properties.group.instance.id=file-nozzle-0",
                "--hydrant.nozzle.batch-size=" + BATCH,
                "--hydrant.nozzle.buffer-size=1000",
                "--nozzle.file=" + file,
                "--nozzle.delay=5ms"), dir.resolve("nozzle.log"));
    }

    /** The file's whole lines. */
    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }
}
