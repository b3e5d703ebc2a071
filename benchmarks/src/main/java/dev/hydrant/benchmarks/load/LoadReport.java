package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run, printed as one JSON line. {@code received} counts distinct envelopes
 * of the run over all healthy consumers (of every kind), so loss is measured against
 * {@code sent × healthy consumers}; each consumer kind also gets its own received, loss and
 * latency. Rates are envelopes per second, the receive rate over all healthy consumers together,
 * from the first send to the last new receipt.
 */
record LoadReport(LoadSettings settings, long sent, List<ConsumerOutcome> consumers, double sendSeconds,
                  double receiveSeconds, ComponentFigures metron, ComponentFigures doppler,
                  TrafficControllerFigures trafficController, OptionalLong harnessPeakRssMb, List<String> errors,
                  List<HopFigures> hops, List<RunWindow> windows, RunWindow.HopCpu harnessCpu,
                  OptionalLong pipeReadyAfterExecMs, OptionalLong loadStartAfterExecMs) {

    /** What one healthy consumer got. */
    record ConsumerOutcome(ConsumerKind kind, long received, long duplicates, long foreign, Histogram latencyMicros) {
        ConsumerOutcome {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(latencyMicros, "latencyMicros");
        }
    }

    LoadReport {
        consumers = List.copyOf(consumers);
        errors = List.copyOf(errors);
        hops = List.copyOf(hops);
        windows = List.copyOf(windows);
    }

    long received() {
        return consumers.stream().mapToLong(ConsumerOutcome::received).sum();
    }

    /** Percentage of the expected deliveries ({@code sent × healthy consumers}) that did not arrive. */
    double lossPercent() {
        return lossPercent(consumers);
    }

    private double lossPercent(List<ConsumerOutcome> outcomes) {
        long expected = sent * outcomes.size();
        long received = outcomes.stream().mapToLong(ConsumerOutcome::received).sum();
        if (outcomes.isEmpty()) {
            return Double.NaN; // no consumer: nothing to lose
        }
        return expected == 0 ? 0 : 100.0 * (expected - received) / expected;
    }

    String mode() {
        return settings.dopplerOnly() ? "doppler-only" : "metron-doppler";
    }

    String toJson() {
        LoadSettings s = settings;
        Histogram latency = merged(consumers);
        JsonLine json = new JsonLine()
                .add("mode", mode())
                .add("components", s.startsComponents() ? "started" : "running")
                .add("rate_asked", s.rate())
                .add("seconds", s.seconds())
                .add("warmup_seconds", s.warmupSeconds())
                .add("cold", s.cold())
                .add("first_window_seconds", s.firstWindowSeconds())
                .add("emitters", s.emitters())
                .add("consumers", s.consumers())
                .add("stalled_consumer", s.stalledConsumer())
                .add("payload_bytes", s.payloadBytes())
                .add("batch_size", s.batchSize())
                .add("sent", sent)
                .add("received", received())
                .addLongs("received_per_consumer", consumers.stream().map(ConsumerOutcome::received).toList())
                .add("duplicates", consumers.stream().mapToLong(ConsumerOutcome::duplicates).sum())
                .add("loss_pct", lossPercent(), 3)
                .add("send_rate", sendSeconds > 0 ? sent / sendSeconds : 0, 0)
                .add("receive_rate", receiveSeconds > 0 ? received() / receiveSeconds : 0, 0)
                .add("delivered_rate", receiveSeconds > 0 && !consumers.isEmpty()
                        ? received() / receiveSeconds / consumers.size() : 0, 0)
                .add("metron_accepted_rate", hops.stream().filter(h -> h.hop().name().equals("metron"))
                        .mapToDouble(HopFigures::inPerSecond).findFirst().orElse(Double.NaN), 0)
                .add("latency_p50_ms", percentileMillis(latency, 50), 3)
                .add("latency_p99_ms", percentileMillis(latency, 99), 3)
                .add("latency_max_ms", maxMillis(latency), 3)
                .add("metron_ingress", metron.ingress())
                .add("metron_egress", metron.egress())
                .add("metron_dropped_ingress", metron.droppedIngress())
                .add("metron_dropped_egress", metron.droppedEgress())
                .add("doppler_ingress", doppler.ingress())
                .add("doppler_egress", doppler.egress())
                .add("doppler_dropped_egress", doppler.droppedEgress())
                .add("metron_peak_rss_mb", metron.peakRssMb())
                .add("doppler_peak_rss_mb", doppler.peakRssMb())
                .add("harness_peak_rss_mb", harnessPeakRssMb)
                .add("harness_cpu_seconds", harnessCpu.seconds(), 2)
                .add("harness_cpu_pct", harnessCpu.percent(), 1)
                .add("pipe_ready_after_exec_ms", pipeReadyAfterExecMs)
                .add("load_start_after_exec_ms", loadStartAfterExecMs)
                .add("metron_jvm_opts", String.join(" ", metron.jvmOptions()))
                .add("doppler_jvm_opts", String.join(" ", doppler.jvmOptions()))
                .add("metron_buffer_size", optional(s.metronBufferSize()))
                .add("doppler_subscriber_buffer_size", optional(s.subscriberBufferSize()))
                .add("foreign_envelopes", consumers.stream().mapToLong(ConsumerOutcome::foreign).sum());
        json.addStrings("consumer_kinds", s.consumerKinds().stream().map(ConsumerKind::label).toList());
        for (ConsumerKind kind : ConsumerKind.values()) {
            addConsumerKind(json, kind);
        }
        json.add("tc_ingress", trafficController.ingress())
                .add("tc_egress_firehose", trafficController.egressFirehose())
                .add("tc_egress_sse", trafficController.egressSse())
                .add("tc_dropped_egress", trafficController.droppedEgress())
                .add("tc_slow_consumers", trafficController.slowConsumers())
                .add("tc_peak_rss_mb", trafficController.peakRssMb())
                .add("tc_jvm_opts", String.join(" ", trafficController.jvmOptions()))
                .add("tc_client_buffer_size", optional(s.tcClientBufferSize()))
                .add("tc_slow_consumer_timeout_ms", optional(s.tcSlowConsumerTimeoutMillis()));
        JsonLine hopsJson = new JsonLine();
        hops.forEach(hop -> hopsJson.add(hop.hop().name(), hop.toJson()));
        json.add("hops", hopsJson);
        json.add("windows", new JsonLine().add("first", windows.get(0).toJson()).add("rest", windows.get(1).toJson()));
        return json.addStrings("errors", errors).toString();
    }

    /** {@code consumer_<kind>_received}, {@code _loss_pct}, {@code _latency_*_ms}; null if the kind did not run. */
    private void addConsumerKind(JsonLine json, ConsumerKind kind) {
        List<ConsumerOutcome> outcomes = consumers.stream().filter(c -> c.kind() == kind).toList();
        String prefix = "consumer_" + kind.label() + "_";
        if (outcomes.isEmpty()) {
            json.add(prefix + "received", OptionalLong.empty())
                    .add(prefix + "loss_pct", Double.NaN, 3)
                    .add(prefix + "latency_p50_ms", Double.NaN, 3)
                    .add(prefix + "latency_p99_ms", Double.NaN, 3)
                    .add(prefix + "latency_max_ms", Double.NaN, 3);
            return;
        }
        Histogram latency = merged(outcomes);
        json.add(prefix + "received", outcomes.stream().mapToLong(ConsumerOutcome::received).sum())
                .add(prefix + "loss_pct", lossPercent(outcomes), 3)
                .add(prefix + "latency_p50_ms", percentileMillis(latency, 50), 3)
                .add(prefix + "latency_p99_ms", percentileMillis(latency, 99), 3)
                .add(prefix + "latency_max_ms", maxMillis(latency), 3);
    }

    private static Histogram merged(List<ConsumerOutcome> outcomes) {
        Histogram all = new Histogram(3);
        outcomes.forEach(o -> all.add(o.latencyMicros()));
        return all;
    }

    private static OptionalLong optional(Integer value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    static double percentileMillis(Histogram latency, double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMillis(Histogram latency) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
    }
}
