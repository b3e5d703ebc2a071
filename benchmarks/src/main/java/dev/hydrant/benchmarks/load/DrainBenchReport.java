package dev.hydrant.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The measured phases of one {@link DrainBench} run and its JSON line. A phase reads every counter at its start
 * and at its end: lines offered (the fake firehose) and delivered (counted by the receiver: rsyslog's output, or
 * the frame counter, which also gives each live drain's own rate), the CPU of the nozzle, of rsyslog and of the
 * harness, and what the nozzle dropped (its firehose buffer; the live drains' and the dead drain's buffers).
 */
final class DrainBenchReport {

    private final DrainBench settings;
    private final String loadAverage;
    private final ComponentProcess nozzle;
    private final long nozzlePid;
    private final RsyslogCounter rsyslog;
    private final FrameSink frames;
    private final List<String> phases = new ArrayList<>();
    private ProcessFigures last;

    DrainBenchReport(DrainBench settings, String loadAverage, ComponentProcess nozzle, RsyslogCounter rsyslog,
                     FrameSink frames) {
        this.settings = settings;
        this.loadAverage = loadAverage;
        this.nozzle = nozzle;
        this.rsyslog = rsyslog;
        this.frames = frames;
        this.nozzlePid = ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(args -> String.join(" ", args).contains("nozzle-syslog"))
                        .orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("the nozzle's process is not a child of the harness"));
    }

    private long received() {
        return rsyslog != null ? rsyslog.received() : frames.total();
    }

    void measure(String name, DrainFirehose firehose, int seconds) throws InterruptedException {
        DrainBench.progress("measuring '" + name + "' for " + seconds + " s");
        PrometheusScrape before = PrometheusScrape.of(nozzle.prometheusUri());
        List<Long> drainsBefore = frames.perConnection();
        ProcessFigures nozzleBefore = ProcessFigures.of(nozzlePid);
        ProcessFigures rsyslogBefore = rsyslog == null ? null : ProcessFigures.of(rsyslog.pid());
        ProcessFigures harnessBefore = ProcessFigures.of(ProcessHandle.current().pid());
        long sent = firehose.sent();
        long received = received();
        long start = System.nanoTime();

        TimeUnit.SECONDS.sleep(seconds);

        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long delivered = received() - received;
        long offered = firehose.sent() - sent;
        ProcessFigures nozzleAfter = ProcessFigures.of(nozzlePid);
        ProcessFigures harnessAfter = ProcessFigures.of(ProcessHandle.current().pid());
        String rsyslogCores = rsyslog == null ? "null" : f(ProcessFigures.of(rsyslog.pid()).coresSince(rsyslogBefore, wall));
        List<Long> drainsAfter = frames.perConnection();
        PrometheusScrape after = PrometheusScrape.of(nozzle.prometheusUri());
        double secs = wall.toNanos() / 1e9;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < drainsAfter.size(); i++) {
            long each = drainsAfter.get(i) - (i < drainsBefore.size() ? drainsBefore.get(i) : 0);
            min = Math.min(min, each);
            max = Math.max(max, each);
        }
        last = nozzleAfter;
        phases.add("{\"phase\":\"" + name + "\",\"seconds\":" + f(secs)
                + ",\"offered_per_s\":" + Math.round(offered / secs)
                + ",\"delivered_per_s\":" + Math.round(delivered / secs)
                + ",\"live_drain_min_per_s\":" + (drainsAfter.isEmpty() ? "null" : Math.round(min / secs))
                + ",\"live_drain_max_per_s\":" + (drainsAfter.isEmpty() ? "null" : Math.round(max / secs))
                + ",\"nozzle_cpu_cores\":" + f(nozzleAfter.coresSince(nozzleBefore, wall))
                + ",\"rsyslog_cpu_cores\":" + rsyslogCores
                + ",\"harness_cpu_cores\":" + f(harnessAfter.coresSince(harnessBefore, wall))
                + ",\"nozzle_buffer_dropped\":" + delta(before, after, "nozzle_dropped_total", "reason=\"buffer\"")
                + ",\"live_drains_dropped\":" + (delta(before, after, "syslog_drain_dropped_total")
                        - delta(before, after, "syslog_drain_dropped_total", "drain=\"dead\""))
                + ",\"live_drains_failed\":" + (delta(before, after, "syslog_drain_failed_total")
                        - delta(before, after, "syslog_drain_failed_total", "drain=\"dead\""))
                + ",\"dead_drain_dropped\":" + delta(before, after, "syslog_drain_dropped_total", "drain=\"dead\"")
                + "}");
    }

    private static long delta(PrometheusScrape before, PrometheusScrape after, String metric, String... labels) {
        return Math.round(after.sum(metric, labels).orElse(0) - before.sum(metric, labels).orElse(0));
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    String json() {
        return "{\"drains\":" + settings.drains + ",\"sink\":\"" + settings.sink + "\",\"rate_asked\":" + settings.rate
                + ",\"dead\":\"" + settings.dead + "\",\"payload_bytes\":" + settings.payloadBytes
                + ",\"load_average_at_start\":\"" + loadAverage + "\""
                + ",\"nozzle_threads\":" + last.threads() + ",\"nozzle_rss_mb\":" + last.rssMb()
                + ",\"nozzle_peak_rss_mb\":" + last.peakRssMb() + ",\"nozzle_jvm_opts\":\"" + settings.nozzleJvmOptions
                + "\",\"phases\":[" + String.join(",", phases) + "]}";
    }
}
