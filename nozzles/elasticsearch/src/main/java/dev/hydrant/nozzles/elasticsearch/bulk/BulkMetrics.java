package dev.hydrant.nozzles.elasticsearch.bulk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nozzle's meters, declared and described here (nozzles/elasticsearch/README.md lists them). Every
 * document the SDK hands the sink ends in exactly one of indexed, rejected or failed:
 * {@code nozzle.written = indexed + rejected + failed} once the sink is idle.
 */
public final class BulkMetrics {

    public static final String INDEXED = "elasticsearch.documents.indexed";
    public static final String REJECTED = "elasticsearch.documents.rejected";
    public static final String FAILED = "elasticsearch.documents.failed";
    public static final String RETRIED = "elasticsearch.documents.retried";
    public static final String REQUESTS = "elasticsearch.bulk.requests";
    public static final String ERRORS = "elasticsearch.bulk.errors";
    public static final String IN_FLIGHT = "elasticsearch.bulk.in.flight";
    public static final String LATENCY = "elasticsearch.bulk.latency";

    private final Counter indexed;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Counter failed;
    private final Counter retried;
    private final Counter requests;
    private final Counter errors;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer latency;

    public BulkMetrics(MeterRegistry registry) {
        indexed = Counter.builder(INDEXED).description("documents the cluster indexed").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder(REJECTED).tag("reason", reason.label())
                    .description("documents the cluster refused for good, by reason (mapping, index, other); not sent again")
                    .register(registry));
        }
        failed = Counter.builder(FAILED)
                .description("documents given up after max-retries resends (the cluster stayed busy or unreachable)")
                .register(registry);
        retried = Counter.builder(RETRIED)
                .description("documents sent again after a 429 or 503 item or a failed bulk request").register(registry);
        requests = Counter.builder(REQUESTS).description("bulk requests sent").register(registry);
        errors = Counter.builder(ERRORS)
                .description("bulk requests that failed as a whole (no answer, or a status other than 200)")
                .register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).description("bulk requests awaiting their answer now")
                .register(registry);
        latency = Timer.builder(LATENCY).description("time from sending a bulk request to its answer").register(registry);
    }

    void indexed(int n) {
        indexed.increment(n);
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void failed(int n) {
        failed.increment(n);
    }

    void retried(int n) {
        retried.increment(n);
    }

    void requestSent() {
        requests.increment();
        inFlight.incrementAndGet();
    }

    void requestDone(long nanos, boolean ok) {
        inFlight.decrementAndGet();
        latency.record(nanos, TimeUnit.NANOSECONDS);
        if (!ok) {
            errors.increment();
        }
    }
}
