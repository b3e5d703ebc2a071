package dev.hydrant.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * One window of the measured run, decided by each envelope's send time (its timestamp), so that an
 * envelope that arrives late counts in the window it was sent in: what was sent in it, what of that the
 * healthy consumers received, its latency, and the CPU each process used over the window's wall time.
 *
 * @param fromSeconds      start, seconds after the first send
 * @param toSeconds        end, seconds after the first send (NaN: the end of the run)
 * @param sent             envelopes stamped in the window
 * @param received         of those, distinct envelopes received, summed over the healthy consumers
 * @param healthyConsumers consumers that should each get every envelope
 * @param latencyMicros    their latency, all consumers
 * @param cpu              the CPU each process used over the window
 */
record RunWindow(double fromSeconds, double toSeconds, long sent, long received, int healthyConsumers,
                 Histogram latencyMicros, List<HopCpu> cpu) {

    /** CPU one process used over a window: seconds, and percent of one core; NaN if unknown. */
    record HopCpu(String name, double seconds, double percent) {
    }

    RunWindow {
        Objects.requireNonNull(latencyMicros, "latencyMicros");
        cpu = List.copyOf(cpu);
    }

    /**
     * The run split at {@code firstWindowSeconds} after the first send: the first window and the rest, each
     * with the CPU each of {@code watched} used over it (the rest's runs to the end of the drain).
     */
    static List<RunWindow> split(int firstWindowSeconds, List<Emitter> emitters, List<LoadConsumer> consumers,
                                 RunMonitor monitor, List<Hop> watched) {
        long sent = emitters.stream().mapToLong(Emitter::sent).sum();
        long sentFirst = emitters.stream().mapToLong(Emitter::sentInFirstWindow).sum();
        long received = consumers.stream().mapToLong(c -> c.receipts().received()).sum();
        long receivedFirst = consumers.stream().mapToLong(c -> c.receipts().receivedInFirstWindow()).sum();
        Histogram firstLatency = new Histogram(3);
        Histogram restLatency = new Histogram(3);
        for (LoadConsumer consumer : consumers) {
            firstLatency.add(consumer.receipts().firstLatencyMicros());
            restLatency.add(consumer.receipts().restLatencyMicros());
        }
        List<HopCpu> firstCpu = new ArrayList<>();
        List<HopCpu> restCpu = new ArrayList<>();
        for (Hop hop : watched) {
            HopSample start = monitor.before(hop);
            HopSample boundary = monitor.boundary(hop);
            HopSample end = monitor.after(hop);
            // a run that ended before the first window did is all first window
            HopSample firstEnd = boundary != null ? boundary : end;
            firstCpu.add(new HopCpu(hop.name(), firstEnd.cpuSecondsSince(start), firstEnd.cpuPercentSince(start)));
            restCpu.add(new HopCpu(hop.name(), end.cpuSecondsSince(boundary), end.cpuPercentSince(boundary)));
        }
        return List.of(
                new RunWindow(0, firstWindowSeconds, sentFirst, receivedFirst, consumers.size(), firstLatency,
                        firstCpu),
                new RunWindow(firstWindowSeconds, Double.NaN, sent - sentFirst, received - receivedFirst,
                        consumers.size(), restLatency, restCpu));
    }

    double lossPercent() {
        long expected = sent * healthyConsumers;
        return expected == 0 ? Double.NaN : 100.0 * (expected - received) / expected;
    }

    JsonLine toJson() {
        JsonLine json = new JsonLine()
                .add("from_s", fromSeconds, 0)
                .add("to_s", toSeconds, 0)
                .add("sent", sent)
                .add("received", received)
                .add("loss_pct", lossPercent(), 3)
                .add("latency_p50_ms", LoadReport.percentileMillis(latencyMicros, 50), 3)
                .add("latency_p99_ms", LoadReport.percentileMillis(latencyMicros, 99), 3)
                .add("latency_max_ms", LoadReport.maxMillis(latencyMicros), 3);
        for (HopCpu hop : cpu) {
            json.add(hop.name() + "_cpu_seconds", hop.seconds(), 2).add(hop.name() + "_cpu_pct", hop.percent(), 1);
        }
        return json;
    }
}
