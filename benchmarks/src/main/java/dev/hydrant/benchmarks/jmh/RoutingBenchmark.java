package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.doppler.routing.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Doppler's routing hot path: {@link Router#route} of one ingress batch of 100 log envelopes
 * from 10 apps, with 1, 10 or 1000 subscriptions of which few match.
 *
 * <ul>
 *   <li>{@code by-source}: subscription i asks for the logs of app i (an app stream); only the
 *       subscriptions of the 10 apps in the batch match.</li>
 *   <li>{@code wildcard}: subscription 0 asks for all logs (a firehose), every other one for the
 *       counter named {@code metric-i} of any source, which no envelope of the batch is, so each
 *       is checked against every envelope.</li>
 * </ul>
 * {@code baseline} reads the source id and type of each envelope of the batch, the least any
 * router must do. The sinks only count, so the figures are the router's own cost. The envelopes are
 * routed as the Doppler receives them: as their bytes ({@link EncodedEnvelope}), read once at ingress.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    private static final int BATCH = 100;
    private static final int APPS_IN_BATCH = 10;

    @Param({"1", "10", "1000"})
    public int subscriptions;

    @Param({"by-source", "wildcard"})
    public String selectors;

    private Router router;
    private List<EncodedEnvelope> batch;
    private long delivered;

    @Setup
    public void prepare() {
        router = new Router(subscriptions + 1);
        for (int i = 0; i < subscriptions; i++) {
            router.subscribe(SubscriptionSpec.of(selector(i)), envelopes -> delivered += envelopes.size());
        }
        batch = new ArrayList<>(BATCH);
        ByteString payload = ByteString.copyFromUtf8("x".repeat(120));
        for (int i = 0; i < BATCH; i++) {
            batch.add(EncodedEnvelope.of(Envelope.newBuilder()
                    .setSourceId(appId(i % APPS_IN_BATCH))
                    .setInstanceId("0")
                    .setTimestamp(i)
                    .setLog(Log.newBuilder().setPayload(payload))
                    .build()));
        }
    }

    private Selector selector(int i) {
        if (selectors.equals("by-source")) {
            return Selector.newBuilder().setSourceId(appId(i)).setLog(LogSelector.getDefaultInstance()).build();
        }
        if (i == 0) {
            return Selector.newBuilder().setLog(LogSelector.getDefaultInstance()).build();
        }
        return Selector.newBuilder().setCounter(CounterSelector.newBuilder().setName("metric-" + i)).build();
    }

    private static String appId(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    @Benchmark
    public void baseline(Blackhole blackhole) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            EncodedEnvelope envelope = batch.get(i);
            blackhole.consume(envelope.sourceId());
            blackhole.consume(envelope.type());
        }
    }

    @Benchmark
    public long route() {
        router.route(batch);
        return delivered;
    }
}
