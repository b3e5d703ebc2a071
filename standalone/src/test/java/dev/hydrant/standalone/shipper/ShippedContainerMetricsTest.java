package dev.hydrant.standalone.shipper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.process.ProcReadings;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.SendResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app {@code ship} runs (a CPU-burning shell loop at nice 19) gets its container metrics sent to
 * Metron's ingress (here the test's own gRPC Ingress server with mutual TLS) every interval, and they
 * match what /proc says within 5 %: CPU over each interval against the test's own readings of
 * {@code /proc/PID/stat} bracketing the two instants, memory against {@code VmRSS}, the disk against
 * the app's root filesystem.
 */
class ShippedContainerMetricsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** A reading of the app's CPU time: the wall-clock nanos just before and just after it. */
    private record Reading(long beforeNanos, long afterNanos, long cpuMicros) {
    }

    @TempDir
    Path dir;

    @Test
    void theShippedAppsContainerMetricsArriveEveryIntervalAndMatchProcWithinFivePercent() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles metronTls = ca.issueFiles(dir.resolve("metron"), "metron");
        TlsFiles shipperTls = ca.issueFiles(dir.resolve("shipper"), ShipCommand.CERTIFICATE_NAME);
        ConcurrentLinkedQueue<Envelope> received = new ConcurrentLinkedQueue<>();
        Server ingress = GrpcTransport.server("127.0.0.1", 0, metronTls, "test.metron.tls")
                .addService(new IngressGrpc.IngressImplBase() {
                    @Override
                    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
                        received.addAll(batch.getBatchList());
                        response.onNext(SendResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }).build().start();
        LogShipper shipper = LogShipper.start(ShipperSettings.defaults(new AppInstance("busy-app", "2",
                        AppInstance.APP_SOURCE_TYPE), shipperTls, List.of("nice", "-n", "19", "sh", "-c", "while :; do :; done"))
                .withMetron("127.0.0.1:" + ingress.getPort())
                .withContainerMetricsInterval(INTERVAL));
        List<Reading> readings = new CopyOnWriteArrayList<>();
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long before = wallNanos();
                    // the JDK's own reading of /proc/PID/stat (utime + stime; the loop has no children)
                    long cpu = ProcessHandle.of(shipper.pid()).flatMap(p -> p.info().totalCpuDuration())
                            .orElseThrow().toNanos() / 1_000;
                    readings.add(new Reading(before, wallNanos(), cpu));
                    Thread.sleep(5); // the poller's pace, not a synchronisation
                } catch (Exception e) {
                    return;
                }
            }
        }, "proc-poller");
        poller.setDaemon(true);
        poller.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> gauges(received).size() >= 4);
            long memoryNow = ProcReadings.residentBytes(shipper.pid());
            FileStore disk = Files.getFileStore(Path.of("/proc", Long.toString(shipper.pid()), "root"));
            List<Envelope> metrics = gauges(received);

            for (int i = 0; i < metrics.size(); i++) {
                Map<String, GaugeValue> gauge = metrics.get(i).getGauge().getMetricsMap();
                assertThat(metrics.get(i).getSourceId()).isEqualTo("busy-app");
                assertThat(metrics.get(i).getInstanceId()).isEqualTo("2");
                assertThat(gauge).containsOnlyKeys("cpu", "memory", "disk", "memory_quota", "disk_quota");
                assertThat(gauge.get("memory").getValue()).isCloseTo(memoryNow, within(memoryNow * 0.05));
                assertThat(gauge.get("memory_quota").getValue()).isPositive();
                double used = disk.getTotalSpace() - disk.getUnallocatedSpace();
                assertThat(gauge.get("disk").getValue()).isCloseTo(used, within(used * 0.05));
                assertThat(gauge.get("disk_quota").getValue()).isEqualTo(disk.getTotalSpace());
                if (i > 0) {
                    long from = metrics.get(i - 1).getTimestamp();
                    long to = metrics.get(i).getTimestamp();
                    assertThat(to - from).as("time between two samples, ns")
                            .isBetween(INTERVAL.toNanos() / 2, INTERVAL.toNanos() * 10);
                    long[] start = around(readings, from);
                    long[] end = around(readings, to);
                    double elapsedMicros = (to - from) / 1_000.0;
                    assertThat(gauge.get("cpu").getValue()).as("cpu %% of sample %d", i).isBetween(
                            (end[0] - start[1]) * 100.0 / elapsedMicros * 0.95 - 0.5,
                            (end[1] - start[0]) * 100.0 / elapsedMicros * 1.05 + 0.5);
                }
            }
            assertThat(metrics).anyMatch(m -> m.getGauge().getMetricsOrThrow("cpu").getValue() > 0);
        } finally {
            poller.interrupt();
            shipper.stop();
            shipper.awaitExit();
            ingress.shutdownNow();
        }
    }

    private static List<Envelope> gauges(ConcurrentLinkedQueue<Envelope> received) {
        return received.stream().filter(Envelope::hasGauge).sorted(Comparator.comparingLong(Envelope::getTimestamp)).toList();
    }

    /** The app's CPU time at {@code instant} lies between these readings: {@code [at most, at least]}. */
    private static long[] around(List<Reading> readings, long instant) {
        long low = -1;
        long high = -1;
        for (Reading reading : new ArrayList<>(readings)) {
            if (reading.afterNanos() <= instant) {
                low = reading.cpuMicros();
            } else if (reading.beforeNanos() >= instant && high < 0) {
                high = reading.cpuMicros();
            }
        }
        assertThat(low).as("a reading before %d", instant).isNotNegative();
        assertThat(high).as("a reading after %d", instant).isNotNegative();
        return new long[] {low, high};
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
