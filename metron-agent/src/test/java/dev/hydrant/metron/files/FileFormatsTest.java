package dev.hydrant.metron.files;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines of each format, written to real files, arrive at a Doppler as log envelopes with the right ids,
 * in the order of the file by their timestamps (the agent's two streams may carry batches side by side).
 */
class FileFormatsTest {

    @TempDir
    static Path dir;

    private static RecordingDoppler doppler;
    private static RunningMetron metron;

    @BeforeAll
    static void start() throws IOException {
        TestPki pki = new TestPki(dir);
        for (String sub : List.of("plain", "docker", "cri", "pods")) {
            Files.createDirectories(dir.resolve(sub));
        }
        doppler = RecordingDoppler.start(pki.doppler, 0);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.dopplers", doppler.address());
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.idle-timeout", "1h");
        settings.put("hydrant.metron.files.inputs[0].path", dir.resolve("plain") + "/*.log");
        settings.put("hydrant.metron.files.inputs[0].source-id", "plain-{file}");
        settings.put("hydrant.metron.files.inputs[0].instance-id", "7");
        settings.put("hydrant.metron.files.inputs[0].source-type", "APP/PROC/WEB");
        settings.put("hydrant.metron.files.inputs[1].path", dir.resolve("docker") + "/*-json.log");
        settings.put("hydrant.metron.files.inputs[1].format", "docker");
        settings.put("hydrant.metron.files.inputs[1].source-id", "docker-app");
        settings.put("hydrant.metron.files.inputs[2].path", dir.resolve("cri") + "/0.log");
        settings.put("hydrant.metron.files.inputs[2].format", "cri");
        settings.put("hydrant.metron.files.inputs[2].source-id", "cri-app");
        settings.put("hydrant.metron.files.inputs[3].path", dir.resolve("pods") + "/*/*/*.log");
        settings.put("hydrant.metron.files.inputs[3].format", "cri");
        settings.put("hydrant.metron.files.inputs[3].layout", "kubernetes");
        metron = RunningMetron.start(pki, settings);
    }

    /** What arrived from {@code sourceId}, by timestamp. */
    private static List<Envelope> from(String sourceId) {
        return doppler.from(sourceId).stream().sorted(java.util.Comparator.comparingLong(Envelope::getTimestamp)).toList();
    }

    @AfterAll
    static void stop() {
        metron.close();
        doppler.close();
    }

    @Test
    void plainLinesArriveInOrderWithTheConfiguredIdsAndSourceType() throws IOException {
        append(dir.resolve("plain/web.log"), "first line\nsecond line\n\nfourth line\n");

        List<Envelope> logs = await().atMost(WAIT).until(() -> from("plain-web"), l -> l.size() == 4);

        assertThat(logs).extracting(FileFormatsTest::text).containsExactly("first line", "second line", "", "fourth line");
        assertThat(logs).allSatisfy(e -> {
            assertThat(e.getInstanceId()).isEqualTo("7");
            assertThat(e.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
            assertThat(e.getLog().getType()).isEqualTo(Log.Type.OUT);
            assertThat(e.getTimestamp()).isPositive();
        });
    }

    @Test
    void aLastLineWithoutItsNewlineIsHeldUntilItIsCompleted() throws IOException {
        Path file = dir.resolve("plain/held.log");
        append(file, "whole\nhalf a ");
        await().atMost(WAIT).until(() -> from("plain-held").size() == 1);
        append(file, "line\n");

        List<Envelope> logs = await().atMost(WAIT).until(() -> from("plain-held"), l -> l.size() == 2);

        assertThat(logs).extracting(FileFormatsTest::text).containsExactly("whole", "half a line");
    }

    @Test
    void aLineOver60KiBIsSplitIntoEnvelopesThatTogetherHoldIt() throws IOException {
        String longLine = "x".repeat(150 * 1024);
        append(dir.resolve("plain/long.log"), longLine + "\nafter\n");

        List<Envelope> logs = await().atMost(WAIT).until(() -> from("plain-long"), l -> l.size() == 4);

        assertThat(logs).allSatisfy(e -> assertThat(e.getLog().getPayload().size()).isLessThanOrEqualTo(60 * 1024));
        assertThat(String.join("", logs.subList(0, 3).stream().map(FileFormatsTest::text).toList())).isEqualTo(longLine);
        assertThat(text(logs.get(3))).isEqualTo("after");
    }

    @Test
    void dockerJsonLinesKeepTheirStreamAndTime_andLinesDockerSplitAreJoined() throws IOException {
        append(dir.resolve("docker/abc-json.log"), """
                {"log":"hello \\"docker\\"\\n","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}
                {"log":"oops\\n","stream":"stderr","time":"2024-05-01T10:00:01Z"}
                {"log":"part one, ","stream":"stdout","time":"2024-05-01T10:00:02Z"}
                {"log":"part two\\n","stream":"stdout","time":"2024-05-01T10:00:02.5Z"}
                not json at all
                """);

        List<Envelope> logs = await().atMost(WAIT).until(() -> from("docker-app"), l -> l.size() == 4);

        assertThat(logs).extracting(FileFormatsTest::text)
                .containsExactly("hello \"docker\"", "oops", "part one, part two", "not json at all");
        assertThat(logs).extracting(e -> e.getLog().getType())
                .containsExactly(Log.Type.OUT, Log.Type.ERR, Log.Type.OUT, Log.Type.OUT);
        assertThat(logs.get(0).getTimestamp()).isEqualTo(1_714_557_600_123_456_789L);
        assertThat(logs.get(2).getTimestamp()).isEqualTo(1_714_557_602_000_000_000L);
        assertThat(logs.get(0).getInstanceId()).isEqualTo("0");
        assertThat(logs.get(0).getTagsMap()).containsEntry("source_type", "FILE");
    }

    @Test
    void criPartialLinesAreJoinedUntilTheirFinalPart_perStream() throws IOException {
        append(dir.resolve("cri/0.log"), """
                2024-05-01T10:00:00.000000001Z stdout P one\s
                2024-05-01T10:00:00.100000000Z stderr F an error
                2024-05-01T10:00:00.200000000Z stdout P two\s
                2024-05-01T10:00:00.300000000Z stdout F three
                2024-05-01T12:00:01+02:00 stdout F whole
                """);

        List<Envelope> logs = await().atMost(WAIT).until(() -> from("cri-app"), l -> l.size() == 3);

        assertThat(logs).extracting(FileFormatsTest::text).containsExactly("one two three", "an error", "whole");
        assertThat(logs).extracting(e -> e.getLog().getType()).containsExactly(Log.Type.OUT, Log.Type.ERR, Log.Type.OUT);
        assertThat(logs.get(0).getTimestamp()).as("the time of the first part").isEqualTo(1_714_557_600_000_000_001L);
        assertThat(logs.get(2).getTimestamp()).isEqualTo(1_714_557_601_000_000_000L);
        assertThat(metron.registry().get("files.lines.joined").counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aKubernetesTreeGetsSourceIdsInstanceIdsAndSourceTypesFromThePaths_includingPodsThatAppearLater()
            throws IOException {
        Path pods = dir.resolve("pods");
        write(pods.resolve("shop_web-7d4b9c8f6d-x2x9k_0b1c-11/nginx/0.log"), "from web nginx");
        write(pods.resolve("shop_web-7d4b9c8f6d-q8r7t_0b1c-12/nginx/0.log"), "from the other web pod");
        write(pods.resolve("kube-system_db-0_0b1c-13/postgres/2.log"), "from db");
        await().atMost(WAIT).until(() -> from("shop/web").size() == 2);
        write(pods.resolve("ops_agent-z5x2b_0b1c-14/agent/0.log"), "from a pod that came later");

        await().atMost(WAIT).until(() -> from("ops/agent").size() == 1);

        assertThat(doppler.from("shop/web")).extracting(Envelope::getInstanceId)
                .containsExactlyInAnyOrder("web-7d4b9c8f6d-x2x9k", "web-7d4b9c8f6d-q8r7t");
        assertThat(doppler.from("shop/web")).allSatisfy(e -> assertThat(e.getTagsMap()).containsEntry("source_type", "nginx"));
        Envelope db = await().atMost(WAIT).until(() -> from("kube-system/db"), l -> l.size() == 1).get(0);
        assertThat(db.getInstanceId()).isEqualTo("db-0");
        assertThat(db.getTagsMap()).containsEntry("source_type", "postgres");
        assertThat(text(db)).isEqualTo("from db");
        assertThat(text(doppler.from("ops/agent").get(0))).isEqualTo("from a pod that came later");
    }

    private static void write(Path file, String message) throws IOException {
        Files.createDirectories(file.getParent());
        append(file, "2024-05-01T10:00:00Z stdout F " + message + "\n");
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String text(Envelope envelope) {
        return envelope.getLog().getPayload().toStringUtf8();
    }
}
