package dev.hydrant.metron.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.process.ProcReadings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v2 the test makes under the host's cgroup2 mount (as root, as CI runs), with a CPU-burning
 * shell loop (at nice 19) moved into it, and a poller reading its {@code cpu.stat} every few
 * milliseconds to know what it said at any instant. Fails, never skips, where cgroups cannot be made.
 */
final class CgroupUnderTest implements AutoCloseable {

    /** One reading of {@code usage_usec}: the wall-clock nanos just before and just after it. */
    record Reading(long beforeNanos, long afterNanos, long usageMicros) {
    }

    final Cgroups cgroups;
    final Path directory;
    final Process process;
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean polling = true;

    CgroupUnderTest() throws IOException {
        Optional<Cgroups> mount = Cgroups.host();
        assertThat(mount).as("a cgroup2 mount in /proc/self/mountinfo").isPresent();
        cgroups = mount.get();
        directory = cgroups.mount().resolve("hydrant-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(directory);
        } catch (IOException e) {
            throw new AssertionError("cannot make a cgroup under " + cgroups.mount() + " (the test needs root): " + e, e);
        }
        process = new ProcessBuilder("nice", "-n", "19", "sh", "-c", "while :; do :; done").start();
        Files.writeString(directory.resolve("cgroup.procs"), Long.toString(process.pid()), StandardCharsets.US_ASCII);
        poller = new Thread(this::poll, "cgroup-poller");
        poller.setDaemon(true);
        poller.start();
        await().atMost(Patience.WAIT).until(() -> readings.size() > 2);
    }

    private void poll() {
        while (polling) {
            try {
                long before = wallNanos();
                long usage = ProcReadings.cgroupCpuMicros(directory);
                readings.add(new Reading(before, wallNanos(), usage));
                Thread.sleep(5); // the pace of the poller, not a synchronisation
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** {@code usage_usec} at {@code instant} lies between these two readings: {@code [at most, at least]}. */
    long[] usageAround(long instantNanos) {
        long low = -1;
        long high = -1;
        for (Reading reading : new ArrayList<>(readings)) {
            if (reading.afterNanos() <= instantNanos) {
                low = reading.usageMicros();
            } else if (reading.beforeNanos() >= instantNanos && high < 0) {
                high = reading.usageMicros();
            }
        }
        assertThat(low).as("a reading before %d", instantNanos).isNotNegative();
        assertThat(high).as("a reading after %d", instantNanos).isNotNegative();
        return new long[] {low, high};
    }

    @Override
    public void close() throws Exception {
        polling = false;
        poller.join(5_000);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        await().atMost(Patience.WAIT).ignoreExceptions().until(() -> {
            Files.delete(directory);
            return true;
        });
    }
}
