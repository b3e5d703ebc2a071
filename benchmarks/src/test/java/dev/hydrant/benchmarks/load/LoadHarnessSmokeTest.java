package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real harness for a few seconds at a low rate against a Doppler, a Metron and a
 * Traffic Controller it starts from their exec jars, so that the harness cannot rot unnoticed.
 * It asserts that every envelope arrived at every consumer and the report is complete, never a
 * speed.
 */
class LoadHarnessSmokeTest {

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
    void lowRateThroughMetronAndDoppler_everyConsumerKindGetsEveryEnvelopeAndTheReportIsComplete() throws Exception {
        // every buffer holds the whole run (1,500 envelopes): nothing can be lost however slowly the machine drains it
        String json = LoadHarness.runToJson("--consumer", "all", "--rate", "500", "--seconds", "3", "--emitters", "2",
                "--metron-buffer-size", "10000", "--doppler-subscriber-buffer-size", "10000",
                "--tc-client-buffer-size", "10000",
                "--jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1", "--drain-max-seconds", "20");
        System.err.println(json);

        long sent = number(json, "sent");
        assertThat(sent).isEqualTo(1_500);
        assertThat(number(json, "consumer_doppler_received")).isEqualTo(sent);
        assertThat(number(json, "consumer_websocket_received")).isEqualTo(sent);
        assertThat(number(json, "consumer_sse_received")).isEqualTo(sent);
        assertThat(number(json, "received")).isEqualTo(3 * sent);
        assertThat(number(json, "duplicates")).isZero();
        assertThat(json).contains("\"mode\":\"metron-doppler\"",
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

    private static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        assertThat(matcher.find()).as("%s in %s", key, json).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
