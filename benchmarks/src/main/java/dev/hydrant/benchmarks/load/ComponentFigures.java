package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the harness learnt about one component during a run. Counters are the increase over the
 * measured part of the run (scraped from its Prometheus endpoint just before the emitters start
 * and after the drain), so they include the component's own self-metrics envelopes and, for
 * running components, anything else that passed meanwhile.
 *
 * @param ingress        increase of {@code ingress_total}
 * @param egress         increase of {@code egress_total}
 * @param droppedIngress increase of {@code dropped_total{direction="ingress"}}
 * @param droppedEgress  increase of {@code dropped_total{direction="egress"}}
 * @param peakRssMb      VmHWM of the process in MiB, if the harness started it
 * @param jvmOptions     the JVM options it was started with, empty if the harness did not start it
 */
record ComponentFigures(OptionalDouble ingress, OptionalDouble egress, OptionalDouble droppedIngress,
                        OptionalDouble droppedEgress, OptionalLong peakRssMb, List<String> jvmOptions) {

    /** Nothing known: the component is not part of this run. */
    static final ComponentFigures ABSENT = new ComponentFigures(OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty(), List.of());

    /** The increases between two scrapes of the same endpoint. */
    static ComponentFigures between(PrometheusScrape before, PrometheusScrape after, OptionalLong peakRssMb,
                                    List<String> jvmOptions) {
        return new ComponentFigures(
                increase(before, after, "ingress_total"),
                increase(before, after, "egress_total"),
                increase(before, after, "dropped_total", "direction=\"ingress\""),
                increase(before, after, "dropped_total", "direction=\"egress\""),
                peakRssMb, List.copyOf(jvmOptions));
    }

    /** The increase of the sum of {@code metric} with {@code labels}, or empty if the later scrape has none. */
    static OptionalDouble increase(PrometheusScrape before, PrometheusScrape after, String metric,
                                           String... labels) {
        OptionalDouble end = after.sum(metric, labels);
        if (end.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(end.getAsDouble() - before.sum(metric, labels).orElse(0));
    }
}
