package dev.hydrant.trafficcontroller.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused requests by reason.
 *
 * <p>Metric {@code rejected_requests{reason}}: requests and streams refused; reasons are
 * no_token, invalid_token, missing_scope, not_permitted (see {@link AuthFailure}), bad_request
 * (an invalid query), stream_limit (gRPC egress at max-grpc-streams) and unavailable (no Doppler
 * known).
 */
public final class Rejections {

    public static final String METRIC = "rejected_requests";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public Rejections(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public void count(String reason) {
        counters.computeIfAbsent(reason, r -> Counter.builder(METRIC)
                        .description("Requests and streams refused, by reason")
                        .tag("reason", r)
                        .register(registry))
                .increment();
    }

    public void count(AuthFailure failure) {
        count(failure.reason());
    }
}
