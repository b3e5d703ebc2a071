package dev.hydrant.benchmarks.load;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one component did over the measured part of a run, as one JSON object: its counter increases
 * (in, out, and out by endpoint, dropped, and dropped by direction, from its Prometheus endpoint), the
 * rates they make over the send time, the CPU it used and the memory it held, and, if the harness
 * started it, how long it took to listen and to be healthy.
 *
 * @param hop         the component
 * @param before      its counters just before the first send
 * @param after       its counters once the drain ended and they settled
 * @param cpuBefore   its CPU and memory just before the first send
 * @param cpuAfter    its CPU and memory when the drain ended
 * @param rssMaxMb    the highest VmRSS seen in between, or -1
 * @param sendSeconds how long the emitters sent
 */
record HopFigures(Hop hop, PrometheusScrape before, PrometheusScrape after, HopSample cpuBefore,
                  HopSample cpuAfter, long rssMaxMb, double sendSeconds) {

    /** The component's object in {@code hops}. */
    JsonLine toJson() {
        OptionalDouble in = ComponentFigures.increase(before, after, "ingress_total");
        JsonLine json = new JsonLine()
                .add("pid", hop.pid() == null ? OptionalLong.empty() : OptionalLong.of(hop.pid()))
                .add("in", in)
                .add("out", ComponentFigures.increase(before, after, "egress_total"));
        for (String endpoint : labels("egress_total", "endpoint")) {
            json.add("out_" + endpoint,
                    ComponentFigures.increase(before, after, "egress_total", "endpoint=\"" + endpoint + "\""));
        }
        json.add("dropped", ComponentFigures.increase(before, after, "dropped_total"));
        for (String direction : labels("dropped_total", "direction")) {
            json.add("dropped_" + direction,
                    ComponentFigures.increase(before, after, "dropped_total", "direction=\"" + direction + "\""));
        }
        return json.add("in_per_s", inPerSecond(), 0)
                .add("cpu_seconds", cpuAfter.cpuSecondsSince(cpuBefore), 2)
                .add("cpu_pct", cpuAfter.cpuPercentSince(cpuBefore), 1)
                .add("cpu_from", cpuAfter.cpuSource())
                .add("rss_before_mb", known(cpuBefore.rssMb()))
                .add("rss_max_mb", known(rssMaxMb))
                .add("peak_rss_mb", known(cpuAfter.peakRssMb()))
                .add("exec_to_listening_ms", hop.execToListeningMs())
                .add("exec_to_healthy_ms", hop.execToHealthyMs())
                .add("java", hop.java())
                .add("start_cache", hop.startCache());
    }

    /** The increase of {@code ingress_total} over the send time, envelopes/s, or NaN. */
    double inPerSecond() {
        OptionalDouble in = ComponentFigures.increase(before, after, "ingress_total");
        return in.isPresent() && sendSeconds > 0 ? in.getAsDouble() / sendSeconds : Double.NaN;
    }

    private Set<String> labels(String metric, String label) {
        Set<String> values = new LinkedHashSet<>(before.labelValues(metric, label));
        values.addAll(after.labelValues(metric, label));
        return values;
    }

    private static OptionalLong known(long value) {
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** The flat (older) figures of the component named {@code name}, absent if it has no Prometheus endpoint. */
    static ComponentFigures flat(String name, List<HopFigures> hops) {
        return hops.stream().filter(h -> h.hop().name().equals(name) && h.hop().metrics() != null).findFirst()
                .map(h -> ComponentFigures.between(h.before(), h.after(), h.peakRss(), h.hop().jvmOptions()))
                .orElse(ComponentFigures.ABSENT);
    }

    /** The flat (older) figures of the Traffic Controller, absent if it has no Prometheus endpoint. */
    static TrafficControllerFigures flatTrafficController(List<HopFigures> hops) {
        return hops.stream().filter(h -> h.hop().name().equals("traffic_controller") && h.hop().metrics() != null)
                .findFirst()
                .map(h -> TrafficControllerFigures.between(h.before(), h.after(), h.peakRss(), h.hop().jvmOptions()))
                .orElse(TrafficControllerFigures.ABSENT);
    }

    private OptionalLong peakRss() {
        return known(cpuAfter.peakRssMb());
    }
}
