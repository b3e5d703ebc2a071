package dev.hydrant.metron.containers;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.testsupport.process.ProcReadings;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running process in a cgroup v2 that the agent is told about: its container metrics reach a Doppler
 * every interval, and match what the cgroup files and /proc said at those instants within 5 %.
 */
class CgroupContainerMetricsTest {

    private static final long INTERVAL_MILLIS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aCgroupsContainerMetricsArriveEveryIntervalAndMatchItsFilesWithinFivePercent() throws Exception {
        TestPki pki = new TestPki(dir);
        try (CgroupUnderTest cgroup = new CgroupUnderTest();
             RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.container-metrics.interval", INTERVAL_MILLIS + "ms",
                     "hydrant.metron.container-metrics.cgroups[0].path", cgroup.directory.toString(),
                     "hydrant.metron.container-metrics.cgroups[0].source-id", "app-c",
                     "hydrant.metron.container-metrics.cgroups[0].instance-id", "3"))) {
            await().atMost(WAIT).until(() -> doppler.from("app-c").size() >= 4);
            long pid = cgroup.process.pid();
            long memoryNow = ProcReadings.cgroupNumber(cgroup.directory, "memory.current")
                    .orElse(ProcReadings.residentBytes(pid));
            long quotaNow = ProcReadings.cgroupNumber(cgroup.directory, "memory.max").orElse(ProcReadings.hostMemoryBytes());
            FileStore disk = Files.getFileStore(Path.of("/proc", Long.toString(pid), "root"));
            List<Envelope> metrics = doppler.from("app-c").stream()
                    .sorted(Comparator.comparingLong(Envelope::getTimestamp)).toList();

            for (int i = 0; i < metrics.size(); i++) {
                Envelope metric = metrics.get(i);
                Map<String, GaugeValue> gauge = metric.getGauge().getMetricsMap();
                assertThat(gauge).containsOnlyKeys("cpu", "memory", "disk", "memory_quota", "disk_quota");
                assertThat(metric.getInstanceId()).isEqualTo("3");
                assertThat(gauge.get("cpu").getUnit()).isEqualTo("percentage");
                assertThat(gauge.get("memory").getUnit()).isEqualTo("bytes");
                assertThat(gauge.get("memory").getValue()).isCloseTo(memoryNow, within(memoryNow * 0.05));
                assertThat(gauge.get("memory_quota").getValue()).isCloseTo(quotaNow, within(quotaNow * 0.05));
                double used = disk.getTotalSpace() - disk.getUnallocatedSpace();
                assertThat(gauge.get("disk").getValue()).isCloseTo(used, within(used * 0.05));
                assertThat(gauge.get("disk_quota").getValue()).isEqualTo(disk.getTotalSpace());
                if (i > 0) {
                    long from = metrics.get(i - 1).getTimestamp();
                    long to = metric.getTimestamp();
                    assertThat(to - from).as("time between two samples, ns")
                            .isBetween(INTERVAL_MILLIS * 500_000L, INTERVAL_MILLIS * 10_000_000L);
                    long[] start = cgroup.usageAround(from);
                    long[] end = cgroup.usageAround(to);
                    double elapsedMicros = (to - from) / 1_000.0;
                    double least = (end[0] - start[1]) * 100.0 / elapsedMicros;
                    double most = (end[1] - start[0]) * 100.0 / elapsedMicros;
                    assertThat(gauge.get("cpu").getValue()).as("cpu %% of sample %d", i)
                            .isBetween(least * 0.95 - 0.5, most * 1.05 + 0.5);
                }
            }
            assertThat(metrics).anyMatch(m -> m.getGauge().getMetricsOrThrow("cpu").getValue() > 0);
            assertThat(metron.registry().get("container.metrics.failures").counter().count()).isZero();
        }
    }
}
