package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run, printed as one JSON line. {@code received} counts distinct envelopes
 * of the run over all healthy consumers, so loss is measured against {@code sent × consumers};
 * rates are envelopes per second, the receive rate over all healthy consumers together, from
 * the first send to the last new receipt.
 */
record LoadReport(LoadSettings settings, long sent, List<Long> receivedPerConsumer, long duplicates,
                  long foreign, double sendSeconds, double receiveSeconds, Histogram latencyMicros,
                  ComponentFigures metron, ComponentFigures doppler, OptionalLong harnessPeakRssMb,
                  List<String> errors) {

    LoadReport {
        receivedPerConsumer = List.copyOf(receivedPerConsumer);
        errors = List.copyOf(errors);
    }

    long received() {
        return receivedPerConsumer.stream().mapToLong(Long::longValue).sum();
    }

    /** Percentage of the expected deliveries ({@code sent × consumers}) that did not arrive. */
    double lossPercent() {
        long expected = sent * receivedPerConsumer.size();
        return expected == 0 ? 0 : 100.0 * (expected - received()) / expected;
    }

    String mode() {
        return settings.dopplerOnly() ? "doppler-only" : "metron-doppler";
    }

    String toJson() {
        LoadSettings s = settings;
        JsonLine json = new JsonLine()
                .add("mode", mode())
                .add("components", s.startsComponents() ? "started" : "running")
                .add("rate_asked", s.rate())
                .add("seconds", s.seconds())
                .add("warmup_seconds", s.warmupSeconds())
                .add("emitters", s.emitters())
                .add("consumers", s.consumers())
                .add("stalled_consumer", s.stalledConsumer())
                .add("payload_bytes", s.payloadBytes())
                .add("batch_size", s.batchSize())
                .add("sent", sent)
                .add("received", received())
                .addLongs("received_per_consumer", receivedPerConsumer)
                .add("duplicates", duplicates)
                .add("loss_pct", lossPercent(), 3)
                .add("send_rate", sendSeconds > 0 ? sent / sendSeconds : 0, 0)
                .add("receive_rate", receiveSeconds > 0 ? received() / receiveSeconds : 0, 0)
                .add("latency_p50_ms", percentileMillis(50), 3)
                .add("latency_p99_ms", percentileMillis(99), 3)
                .add("latency_max_ms", latencyMicros.getTotalCount() == 0 ? Double.NaN
                        : latencyMicros.getMaxValue() / 1000.0, 3)
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
                .add("metron_jvm_opts", String.join(" ", metron.jvmOptions()))
                .add("doppler_jvm_opts", String.join(" ", doppler.jvmOptions()))
                .add("metron_buffer_size", optional(s.metronBufferSize()))
                .add("doppler_subscriber_buffer_size", optional(s.subscriberBufferSize()))
                .add("foreign_envelopes", foreign);
        return json.addStrings("errors", errors).toString();
    }

    private static OptionalLong optional(Integer value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private double percentileMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN
                : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
