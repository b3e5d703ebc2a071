package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the harness learnt about the Traffic Controller during a run: increases of its counters
 * over the measured part (scraped just before the emitters start and after the drain) and its
 * peak memory.
 *
 * @param ingress          increase of {@code ingress_total}: envelopes from the Dopplers, over all client
 *                         subscriptions
 * @param egressFirehose   increase of {@code egress_total{endpoint="firehose"}}: v1 frames sent to firehose websockets
 * @param egressSse        increase of {@code egress_total{endpoint="sse"}}: envelopes sent on /v2/read
 * @param droppedEgress    increase of {@code dropped_total{direction="egress"}}: lost in full client buffers
 * @param slowConsumers    increase of {@code doppler_proxy_slow_consumer_total}: websockets cut as slow consumers
 * @param peakRssMb        VmHWM of the process in MiB
 * @param jvmOptions       the JVM options it was started with
 */
record TrafficControllerFigures(OptionalDouble ingress, OptionalDouble egressFirehose, OptionalDouble egressSse,
                                OptionalDouble droppedEgress, OptionalDouble slowConsumers, OptionalLong peakRssMb,
                                List<String> jvmOptions) {

    /** Nothing known: no Traffic Controller in this run. */
    static final TrafficControllerFigures ABSENT = new TrafficControllerFigures(OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalLong.empty(), List.of());

    /** The increases between two scrapes of the Traffic Controller's endpoint. */
    static TrafficControllerFigures between(PrometheusScrape before, PrometheusScrape after, OptionalLong peakRssMb,
                                            List<String> jvmOptions) {
        return new TrafficControllerFigures(
                ComponentFigures.increase(before, after, "ingress_total"),
                ComponentFigures.increase(before, after, "egress_total", "endpoint=\"firehose\""),
                ComponentFigures.increase(before, after, "egress_total", "endpoint=\"sse\""),
                ComponentFigures.increase(before, after, "dropped_total", "direction=\"egress\""),
                ComponentFigures.increase(before, after, "doppler_proxy_slow_consumer_total"),
                peakRssMb, List.copyOf(jvmOptions));
    }
}
