package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real harness for a few seconds at a low rate against a Doppler, a Metron and a
 * Traffic Controller it starts from their exec jars (and once against such a pipe started
 * beforehand, as a running deployment), so that the harness cannot rot unnoticed.
 * It asserts that every envelope arrived at every consumer and the report is complete, never a
 * speed.
 */
class LoadHarnessSmokeTest {

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    @BeforeAll
    static void execJarsAreBuilt() {
        for (String module : new String[] {"doppler", "metron-agent", "traffic-controller"}) {
            assertThat(Files.isRegularFile(ExecJars.find(module)))
                    .as("%s exists (build it first: cd %s && ../mvnw -B -q install -DskipTests)",
                            ExecJars.find(module), module)
                    .isTrue();
        }
    }

    @Test
    @Timeout(120)
    void coldLowRateThroughMetronAndDoppler_everyConsumerKindGetsEveryEnvelopeAndTheReportIsComplete() throws Exception {
        // every buffer holds the whole run (1,500 envelopes): nothing can be lost however slowly the machine drains it
        String json = LoadHarness.runToJson("--consumer", "all", "--rate", "500", "--seconds", "3", "--emitters", "2",
                "--metron-buffer-size", "10000", "--doppler-subscriber-buffer-size", "10000",
                "--tc-client-buffer-size", "10000",
                "--jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1", "--drain-max-seconds", "20",
                "--first-window-seconds", "1", "--cold");
        System.err.println(json);

        long sent = number(json, "sent");
        assertThat(sent).isEqualTo(1_500);
        assertThat(number(json, "consumer_doppler_received")).isEqualTo(sent);
        assertThat(number(json, "consumer_websocket_received")).isEqualTo(sent);
        assertThat(number(json, "consumer_sse_received")).isEqualTo(sent);
        assertThat(number(json, "received")).isEqualTo(3 * sent);
        assertThat(number(json, "duplicates")).isZero();
        assertThat(json).contains("\"mode\":\"metron-doppler\"", "\"cold\":true",
                "\"consumer_kinds\":[\"doppler\",\"websocket\",\"sse\"]",
                "\"received_per_consumer\":[1500,1500,1500]", "\"errors\":[]");
        assertThat(number(json, "metron_ingress")).isGreaterThanOrEqualTo(1_500);
        assertThat(number(json, "tc_egress_firehose")).isGreaterThanOrEqualTo(1_500);
        assertThat(number(json, "tc_egress_sse")).isGreaterThanOrEqualTo(1_500);
        assertThat(number(json, "tc_dropped_egress")).isZero();
        assertThat(number(json, "tc_slow_consumers")).isZero();
        assertThat(number(json, "doppler_peak_rss_mb")).isPositive();
        assertThat(number(json, "metron_peak_rss_mb")).isPositive();
        assertThat(number(json, "tc_peak_rss_mb")).isPositive();

        for (String hop : new String[] {"metron", "doppler", "traffic_controller"}) {
            String figures = object(json, "hops", hop);
            assertThat(figures).contains("\"cpu_from\":\"proc\"");
            assertThat(decimal(figures, "cpu_seconds")).as("%s CPU", hop).isPositive();
            assertThat(decimal(figures, "cpu_pct")).as("%s CPU %%", hop).isPositive();
            assertThat(number(figures, "exec_to_listening_ms")).as("%s listening", hop).isPositive();
            assertThat(number(figures, "exec_to_healthy_ms")).as("%s healthy", hop).isPositive();
            assertThat(number(figures, "peak_rss_mb")).isPositive();
            assertThat(number(figures, "rss_max_mb")).isPositive().isLessThanOrEqualTo(number(figures, "peak_rss_mb"));
            assertThat(number(figures, "in")).isGreaterThanOrEqualTo(sent);
            assertThat(number(figures, "dropped")).isZero();
        }
        // Metron forwards each envelope once; the Traffic Controller sends each to its two clients' streams
        assertThat(number(object(json, "hops", "metron"), "out")).isGreaterThanOrEqualTo(sent);
        assertThat(number(object(json, "hops", "traffic_controller"), "out_firehose")).isGreaterThanOrEqualTo(sent);
        assertThat(number(object(json, "hops", "traffic_controller"), "out_sse")).isGreaterThanOrEqualTo(sent);
        assertThat(number(json, "load_start_after_exec_ms")).isGreaterThanOrEqualTo(number(json, "pipe_ready_after_exec_ms"));

        String first = object(json, "windows", "first");
        String rest = object(json, "windows", "rest");
        assertThat(number(first, "sent") + number(rest, "sent")).isEqualTo(sent);
        assertThat(number(first, "sent")).isPositive();
        assertThat(number(rest, "sent")).isPositive();
        assertThat(number(first, "received") + number(rest, "received")).isEqualTo(3 * sent);
        assertThat(decimal(first, "metron_cpu_seconds") + decimal(rest, "metron_cpu_seconds")).isPositive();
    }

    @Test
    @Timeout(120)
    void stalledConsumerStraightIntoDoppler_theHealthyConsumerStillGetsEverything() throws Exception {
        // the healthy consumer's buffer holds the whole run (3,000 envelopes), so what it gets does not depend
        // on the machine's speed; the stalled one never reads, and must not hold the healthy one back
        String json = LoadHarness.runToJson("--doppler-only", "--stalled-consumer", "--rate", "1000",
                "--seconds", "3", "--emitters", "1", "--doppler-subscriber-buffer-size", "5000",
                "--jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1", "--drain-max-seconds", "20");
        System.err.println(json);

        assertThat(number(json, "sent")).isEqualTo(3_000);
        assertThat(number(json, "received")).isEqualTo(number(json, "sent"));
        assertThat(json).contains("\"mode\":\"doppler-only\"", "\"stalled_consumer\":true", "\"metron_ingress\":null",
                "\"consumer_kinds\":[\"doppler\"]", "\"consumer_websocket_received\":null", "\"tc_ingress\":null",
                "\"errors\":[]");
    }

    @Test
    @Timeout(180)
    void aRunningPipeIsMeasuredThroughItsAddressesEndpointsAndProcessIds(@TempDir Path dir) throws Exception {
        // a pipe started beforehand, as a deployment would be; every buffer holds the whole run (1,000 envelopes)
        LoadSettings pipe = new LoadSettings(500, 2, 0, 1, 1, EnumSet.allOf(ConsumerKind.class), false, 120, 100,
                10, false, RunningPipe.NONE, ExecJars.find("metron-agent"), ExecJars.find("doppler"), JVM, JVM,
                ExecJars.find("traffic-controller"), JVM, 10_000, null, 10_000, 10_000, 2_000, 20, 120, dir, true,
                false, 10, Map.of());
        try (Components running = Components.open(pipe, dir)) {
            Path token = Files.writeString(dir.resolve("token"), running.adminToken());
            String json = LoadHarness.runToJson("--consumer", "all", "--rate", "500", "--seconds", "2",
                    "--emitters", "1", "--drain-max-seconds", "20",
                    "--metron", running.metronAddress(), "--doppler", running.dopplerAddress(),
                    "--traffic-controller", running.trafficControllerUri().toString(), "--token-file", token.toString(),
                    "--certs", dir.resolve("certs").toString(),
                    "--metron-metrics", running.metronMetrics().toString(),
                    "--doppler-metrics", running.dopplerMetrics().toString(),
                    "--tc-metrics", running.trafficControllerMetrics().toString(),
                    "--metron-pid", pid(running, "metron"), "--doppler-pid", pid(running, "doppler"));
            System.err.println(json);

            long sent = number(json, "sent");
            assertThat(sent).isEqualTo(1_000);
            assertThat(json).contains("\"components\":\"running\"", "\"received_per_consumer\":[1000,1000,1000]",
                    "\"errors\":[]");
            for (String hop : new String[] {"metron", "doppler", "traffic_controller"}) {
                String figures = object(json, "hops", hop);
                assertThat(figures).contains("\"exec_to_listening_ms\":null");
                assertThat(decimal(figures, "cpu_seconds")).as("%s CPU", hop).isPositive();
                assertThat(number(figures, "in")).isGreaterThanOrEqualTo(sent);
            }
            // with a pid, CPU and memory come from /proc; without, CPU from the Prometheus endpoint and no memory
            assertThat(object(json, "hops", "doppler")).contains("\"cpu_from\":\"proc\"");
            assertThat(number(object(json, "hops", "doppler"), "peak_rss_mb")).isPositive();
            assertThat(object(json, "hops", "traffic_controller"))
                    .contains("\"cpu_from\":\"prometheus\"", "\"peak_rss_mb\":null");
            assertThat(number(json, "metron_accepted_rate")).isPositive();
        }
    }

    private static String pid(Components components, String hop) {
        return components.hops().stream().filter(h -> h.name().equals(hop)).findFirst().orElseThrow().pid().toString();
    }

    /** The flat JSON object {@code "name":{...}} inside the object {@code "parent":{...}}. */
    private static String object(String json, String parent, String name) {
        int from = json.indexOf("\"" + parent + "\":{");
        assertThat(from).as("%s in %s", parent, json).isNotNegative();
        int start = json.indexOf("\"" + name + "\":{", from);
        assertThat(start).as("%s.%s in %s", parent, name, json).isNotNegative();
        return json.substring(start, json.indexOf('}', start) + 1);
    }

    private static double decimal(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        assertThat(matcher.find()).as("%s in %s", key, json).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        assertThat(matcher.find()).as("%s in %s", key, json).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
