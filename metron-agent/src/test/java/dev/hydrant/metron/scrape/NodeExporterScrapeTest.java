package dev.hydrant.metron.scrape;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.NodeExporter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus endpoint the project did not write (the Debian node exporter) is scraped by a
 * real agent, and its counters and gauges reach a Doppler with the names, values and tags that the
 * test's own scrapes, taken just before and just after, show.
 */
class NodeExporterScrapeTest {

    private static final Pattern CPU_LINE = Pattern.compile(
            "^node_cpu_seconds_total\\{cpu=\"(\\d+)\",mode=\"(\\w+)\"} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern BUILD_INFO_LINE = Pattern.compile("^node_exporter_build_info\\{(.*)} 1$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern BOOT_TIME_LINE = Pattern.compile("^node_boot_time_seconds (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void nodeExporterCountersAndGaugesArriveWithTheirNamesValuesAndLabelsAsTags() throws Exception {
        TestPki pki = new TestPki(dir);
        try (NodeExporter exporter = NodeExporter.start(dir);
             RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.deployment", "cf",
                     "hydrant.metron.scrape.targets[0].url", exporter.url(),
                     "hydrant.metron.scrape.targets[0].source-id", "node",
                     "hydrant.metron.scrape.targets[0].instance-id", "cell-1",
                     "hydrant.metron.scrape.targets[0].interval", "500ms"))) {
            String before = exporter.scrape();
            long afterBefore = System.currentTimeMillis() * 1_000_000L;
            await().atMost(WAIT).until(() -> buildInfo(doppler).stream().anyMatch(e -> e.getTimestamp() > afterBefore));
            long scrapedAt = buildInfo(doppler).stream().mapToLong(Envelope::getTimestamp)
                    .filter(t -> t > afterBefore).min().orElseThrow();
            String after = exporter.scrape();
            List<Envelope> oneScrape = doppler.from("node").stream().filter(e -> e.getTimestamp() == scrapedAt).toList();

            Envelope info = oneScrape.stream().filter(e -> e.hasGauge() && e.getGauge().containsMetrics("node_exporter_build_info"))
                    .findFirst().orElseThrow();
            assertThat(info.getInstanceId()).isEqualTo("cell-1");
            assertThat(info.getGauge().getMetricsOrThrow("node_exporter_build_info").getValue()).isEqualTo(1.0);
            assertThat(info.getGauge().getMetricsOrThrow("node_exporter_build_info").getUnit()).isEmpty();
            assertThat(info.getTagsMap()).containsAllEntriesOf(buildInfoLabels(before)).containsEntry("deployment", "cf");
            assertThat(buildInfoLabels(before)).containsKeys("version", "goversion", "revision");

            Envelope boot = oneScrape.stream().filter(e -> e.hasGauge() && e.getGauge().containsMetrics("node_boot_time_seconds"))
                    .findFirst().orElseThrow();
            assertThat(boot.getGauge().getMetricsOrThrow("node_boot_time_seconds").getValue())
                    .isEqualTo(Double.parseDouble(single(BOOT_TIME_LINE, before)));

            Map<String, Double> cpuBefore = cpuSeconds(before);
            Map<String, Double> cpuAfter = cpuSeconds(after);
            Map<String, Long> cpuScraped = oneScrape.stream()
                    .filter(e -> e.hasCounter() && e.getCounter().getName().equals("node_cpu_seconds_total"))
                    .collect(Collectors.toMap(e -> e.getTagsOrThrow("cpu") + "/" + e.getTagsOrThrow("mode"),
                            e -> e.getCounter().getTotal()));
            assertThat(cpuScraped.keySet()).isNotEmpty().isEqualTo(cpuBefore.keySet());
            // between the test's two scrapes (ordered, as a kernel may step iowait back a little)
            cpuScraped.forEach((series, total) -> assertThat(total).as(series).isBetween(
                    (long) Math.min(cpuBefore.get(series), cpuAfter.get(series)),
                    (long) Math.max(cpuBefore.get(series), cpuAfter.get(series))));

            assertThat(oneScrape).as("the summary go_gc_duration_seconds as gauges of its parts")
                    .anyMatch(e -> e.hasGauge() && e.getGauge().containsMetrics("go_gc_duration_seconds")
                            && "0.5".equals(e.getTagsMap().get("quantile")))
                    .anyMatch(e -> e.hasGauge() && e.getGauge().containsMetrics("go_gc_duration_seconds_count"))
                    .anyMatch(e -> e.hasGauge() && e.getGauge().containsMetrics("go_gc_duration_seconds_sum"));

            await().atMost(WAIT).until(() -> contextSwitches(doppler).size() >= 3);
            assertThat(contextSwitches(doppler)).as("a counter's totals over successive scrapes").isSorted();
            assertThat(metron.registry().get("scrape.failures").tag("source_id", "node").counter().count()).isZero();
        }
    }

    private static List<Envelope> buildInfo(RecordingDoppler doppler) {
        return doppler.from("node").stream()
                .filter(e -> e.hasGauge() && e.getGauge().containsMetrics("node_exporter_build_info")).toList();
    }

    private static List<Long> contextSwitches(RecordingDoppler doppler) {
        return doppler.from("node").stream()
                .filter(e -> e.hasCounter() && e.getCounter().getName().equals("node_context_switches_total"))
                .sorted(Comparator.comparingLong(Envelope::getTimestamp))
                .map(e -> e.getCounter().getTotal()).toList();
    }

    private static Map<String, String> buildInfoLabels(String exposition) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher label = LABEL.matcher(single(BUILD_INFO_LINE, exposition));
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }

    private static Map<String, Double> cpuSeconds(String exposition) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Matcher line = CPU_LINE.matcher(exposition);
        while (line.find()) {
            seconds.put(line.group(1) + "/" + line.group(2), Double.parseDouble(line.group(3)));
        }
        return seconds;
    }

    private static String single(Pattern pattern, String exposition) {
        Matcher matcher = pattern.matcher(exposition);
        return Optional.of(matcher).filter(Matcher::find).map(m -> m.group(1))
                .orElseThrow(() -> new AssertionError(pattern + " not in the exposition"));
    }
}
