package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.wire.EncodedEnvelope;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;

/**
 * Subscribes one client to every Doppler with the client's selectors and shard id and merges
 * the streams into one sink. Dopplers split a shard group among all its subscribers, from every
 * Traffic Controller, so clients that share a shard id (a firehose subscription id) split the
 * stream wherever they are connected. Envelopes arrive as the bytes each Doppler sent ({@link EncodedEnvelope}),
 * read without parsing them.
 */
public final class FanIn implements AutoCloseable {

    /** First wait before subscribing again to a Doppler whose stream ended. */
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(200);
    /** Longest wait between attempts. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    private final DopplerPool pool;
    private final Counter ingress;
    private final ScheduledExecutorService retries;

    /** @param ingress counts envelopes received from the Dopplers ({@code ingress}) */
    public FanIn(DopplerPool pool, Counter ingress) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fanin-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens a subscription on every Doppler known now and on every one that appears later.
     *
     * @param sink receives each batch as it arrives, on gRPC threads; must not block
     */
    public FanInSubscription subscribe(EgressBatchRequest request, Consumer<List<EncodedEnvelope>> sink) {
        FanInSubscription subscription = new FanInSubscription(request, sink, ingress, pool, retries,
                DEFAULT_MIN_BACKOFF, DEFAULT_MAX_BACKOFF);
        subscription.start();
        return subscription;
    }

    /** Whether any Doppler is known at all. */
    public boolean hasDopplers() {
        return !pool.dopplers().isEmpty();
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
