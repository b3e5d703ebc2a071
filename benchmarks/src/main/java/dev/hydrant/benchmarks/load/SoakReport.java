package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/** What a soak found, as Markdown: load, readers, the poller, the churning client, drops per hop, memory. */
final class SoakReport {

    /** One streaming reader: what it received of the run, and its latency in ms. */
    record Reader(String name, long received, long duplicates, double p50Ms, double p99Ms, double maxMs) {
        static Reader of(String name, Receipts receipts) {
            Histogram h = receipts.latencyMicros();
            return new Reader(name, receipts.received(), receipts.duplicates(),
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
        }
    }

    /** Counter increases of one component over the measured part. */
    record Hop(String name, OptionalDouble ingress, OptionalDouble egress, OptionalDouble droppedIngress,
               OptionalDouble droppedEgress) {
    }

    private final LoadSettings settings;
    private final Instant started;
    private final Instant ended;
    private final long sent;
    private final List<Reader> readers;
    private final RecentLogsPoller poller;
    private final ChurnClient churn;
    private final List<Hop> hops;
    private final Map<String, RssFlatness> memory;
    private final Map<String, List<Long>> samples;
    private final Path table;
    private final List<String> errors;

    SoakReport(LoadSettings settings, Instant started, Instant ended, long sent, List<Reader> readers,
               RecentLogsPoller poller, ChurnClient churn, List<Hop> hops, RssSampler sampler, Path table,
               List<String> errors) {
        this.settings = settings;
        this.started = started;
        this.ended = ended;
        this.sent = sent;
        this.readers = List.copyOf(readers);
        this.poller = poller;
        this.churn = churn;
        this.hops = List.copyOf(hops);
        this.memory = sampler.flatness();
        this.samples = sampler.samples();
        this.table = table;
        this.errors = List.copyOf(errors);
    }

    boolean nothingLost() {
        return readers.stream().allMatch(r -> r.received() == sent) && poller.failed() == 0 && poller.empty() == 0
                && churn.failed() == 0;
    }

    boolean memoryFlat() {
        return memory.values().stream().allMatch(RssFlatness::pass);
    }

    boolean pass() {
        return errors.isEmpty() && nothingLost() && memoryFlat();
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Soak %s to %s (%s of sending at %,d env/s, %d emitters),"
                        + " load average at the end %s%n%n", started, ended,
                Duration.between(started, ended).withNanos(0), settings.rate(), settings.emitters(), loadAverage()));
        out.append("JVM options of each component: `").append(String.join(" ", settings.dopplerJvmOptions()))
                .append("`, environment ").append(ShippedJvmOptions.ENVIRONMENT).append("; buffers: metron ")
                .append(orDefault(settings.metronBufferSize())).append(", doppler subscriber ")
                .append(orDefault(settings.subscriberBufferSize())).append(", traffic controller client ")
                .append(orDefault(settings.tcClientBufferSize())).append(", slow-consumer timeout ")
                .append(settings.tcSlowConsumerTimeoutMillis() == null ? "default"
                        : settings.tcSlowConsumerTimeoutMillis() + " ms").append("\n\n");
        out.append("| reader | received of ").append(String.format(Locale.ROOT, "%,d", sent))
                .append(" sent | lost | duplicates | p50 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        for (Reader r : readers) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f ms | %.1f ms | %.0f ms |%n",
                    r.name(), r.received(), sent - r.received(), r.duplicates(), r.p50Ms(), r.p99Ms(), r.maxMs()));
        }
        out.append(String.format(Locale.ROOT, "%nRecent-logs poller: %,d polls, %,d envelopes returned, %,d empty"
                        + " answers, %,d failed%s%n", poller.polls(), poller.envelopes(), poller.empty(),
                poller.failed(), poller.lastFailure() == null ? "" : " (last: " + poller.lastFailure() + ")"));
        out.append(String.format(Locale.ROOT, "Churning client: %,d visits, %,d served a frame, %,d frames, %,d"
                        + " failed%s%n%n", churn.visits(), churn.served(), churn.frames(), churn.failed(),
                churn.lastFailure() == null ? "" : " (last: " + churn.lastFailure() + ")"));
        out.append("| hop | ingress | egress | dropped ingress | dropped egress |\n|---|---|---|---|---|\n");
        for (Hop hop : hops) {
            out.append("| ").append(hop.name()).append(" | ").append(count(hop.ingress())).append(" | ")
                    .append(count(hop.egress())).append(" | ").append(count(hop.droppedIngress())).append(" | ")
                    .append(count(hop.droppedEgress())).append(" |\n");
        }
        out.append("\nMemory samples (RSS MiB, in order): ").append(table).append('\n');
        samples.forEach((name, list) -> out.append("- ").append(name).append(": ").append(list).append('\n'));
        out.append("\n| component | RSS criterion (samples 11-20 -> last 10, within 5 %) |\n|---|---|\n");
        memory.forEach((name, verdict) -> out.append("| ").append(name).append(" | ").append(verdict.verdict())
                .append(" |\n"));
        out.append("\nNothing lost: ").append(nothingLost() ? "PASS" : "FAIL").append("; memory flat: ")
                .append(memoryFlat() ? "PASS" : "FAIL").append('\n');
        errors.forEach(e -> out.append("- error: ").append(e).append('\n'));
        out.append("Verdict: ").append(pass() ? "PASS" : "FAIL").append('\n');
        return out.toString();
    }

    private static String orDefault(Integer size) {
        return size == null ? "default" : String.format(Locale.ROOT, "%,d", size);
    }

    private static String count(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%,.0f", value.getAsDouble()) : "-";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
