package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real harness for a few seconds at a low rate against a Doppler and a Metron it starts
 * from their exec jars, so that the harness cannot rot unnoticed. It asserts that every envelope
 * arrived and the report is complete, never a speed.
 */
class LoadHarnessSmokeTest {

    @BeforeAll
    static void execJarsAreBuilt() {
        for (String module : new String[] {"doppler", "metron-agent"}) {
            assertThat(Files.isRegularFile(ExecJars.find(module)))
                    .as("%s exists (build it first: cd %s && ../mvnw -B -q install -DskipTests)",
                            ExecJars.find(module), module)
                    .isTrue();
        }
    }

    @Test
    @Timeout(120)
    void lowRateThroughMetronAndDoppler_everyEnvelopeArrivesAndTheReportIsComplete() throws Exception {
        String json = LoadHarness.runToJson("--rate", "500", "--seconds", "3", "--emitters", "2",
                "--jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1", "--drain-max-seconds", "20");
        System.err.println(json);

        assertThat(number(json, "sent")).isEqualTo(1_500);
        assertThat(number(json, "received")).isEqualTo(number(json, "sent"));
        assertThat(number(json, "duplicates")).isZero();
        assertThat(json).contains("\"mode\":\"metron-doppler\"", "\"errors\":[]");
        assertThat(number(json, "metron_ingress")).isGreaterThanOrEqualTo(1_500);
        assertThat(number(json, "doppler_peak_rss_mb")).isPositive();
        assertThat(number(json, "metron_peak_rss_mb")).isPositive();
    }

    @Test
    @Timeout(120)
    void stalledConsumerStraightIntoDoppler_theHealthyConsumerStillGetsEverything() throws Exception {
        String json = LoadHarness.runToJson("--doppler-only", "--stalled-consumer", "--rate", "1000",
                "--seconds", "3", "--emitters", "1", "--doppler-subscriber-buffer-size", "100",
                "--jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1", "--drain-max-seconds", "20");
        System.err.println(json);

        assertThat(number(json, "sent")).isEqualTo(3_000);
        assertThat(number(json, "received")).isEqualTo(number(json, "sent"));
        assertThat(json).contains("\"mode\":\"doppler-only\"", "\"stalled_consumer\":true", "\"metron_ingress\":null",
                "\"errors\":[]");
    }

    private static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        assertThat(matcher.find()).as("%s in %s", key, json).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
