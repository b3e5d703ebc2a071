package dev.hydrant.benchmarks.load;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * One look at a {@link Hop} at one moment: the CPU time it has used so far, from {@code /proc/<pid>/stat}
 * (user + system, all threads, via {@link ProcessHandle}) when its pid is known, else from its Prometheus
 * {@code process_cpu_time_ns_total} (Micrometer's process metrics); and its resident and peak resident memory
 * ({@code VmRSS}, {@code VmHWM}) when its pid is known.
 *
 * @param nanos     System.nanoTime() when it was taken
 * @param cpu       CPU time used so far, or null if unknown
 * @param cpuSource {@code proc} or {@code prometheus}, or null
 * @param rssMb     VmRSS in MiB, or -1
 * @param peakRssMb VmHWM in MiB, or -1
 */
record HopSample(long nanos, Duration cpu, String cpuSource, long rssMb, long peakRssMb) {

    static final String PROC = "proc";
    static final String PROMETHEUS = "prometheus";

    /** Looks at {@code hop} now; scrapes its endpoint only when there is no pid to read. */
    static HopSample take(Hop hop) {
        long now = System.nanoTime();
        if (hop.pid() != null && ProcessHandle.of(hop.pid()).isPresent()) {
            ProcessFigures figures = ProcessFigures.of(hop.pid());
            return new HopSample(now, figures.cpu(), PROC, figures.rssMb(), figures.peakRssMb());
        }
        OptionalDouble cpuNanos = PrometheusScrape.of(hop.metrics()).sum("process_cpu_time_ns_total");
        return new HopSample(now, cpuNanos.isPresent() ? Duration.ofNanos((long) cpuNanos.getAsDouble()) : null,
                cpuNanos.isPresent() ? PROMETHEUS : null, -1, -1);
    }

    /** CPU seconds used from {@code before} to this, or NaN if either is unknown. */
    double cpuSecondsSince(HopSample before) {
        if (before == null || cpu == null || before.cpu == null) {
            return Double.NaN;
        }
        return cpu.minus(before.cpu).toNanos() / 1e9;
    }

    /** Percent of one core used from {@code before} to this, or NaN if unknown. */
    double cpuPercentSince(HopSample before) {
        double seconds = cpuSecondsSince(before);
        double wall = before == null ? 0 : (nanos - before.nanos) / 1e9;
        return wall > 0 ? 100 * seconds / wall : Double.NaN;
    }
}
