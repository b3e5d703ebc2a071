package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one process used, from the JVM's process handle and {@code /proc}: CPU time (user and system, all threads),
 * threads, resident and peak resident memory.
 */
record ProcessFigures(Duration cpu, long threads, long rssMb, long peakRssMb) {

    static ProcessFigures of(long pid) {
        Duration cpu = ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration()).orElse(Duration.ZERO);
        long threads = -1;
        long rss = -1;
        long peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line) / 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: the CPU time stays
        }
        return new ProcessFigures(cpu, threads, rss, peak);
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Cores used between {@code before} and this, over {@code wall}. */
    double coresSince(ProcessFigures before, Duration wall) {
        return (double) cpu.minus(before.cpu).toNanos() / wall.toNanos();
    }
}
