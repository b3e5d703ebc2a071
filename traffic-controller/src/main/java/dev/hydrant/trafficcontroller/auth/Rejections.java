package dev.hydrant.trafficcontroller.auth;

import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import java.util.Objects;

/**
 * Counts refused requests by reason in {@code rejected_requests{reason}} (declared in
 * {@link ProxyMetrics#REJECTED_REQUESTS}): no_token, invalid_token, missing_scope, not_permitted (see
 * {@link AuthFailure}), bad_request (an invalid query), stream_limit (gRPC egress at max-grpc-streams,
 * websocket and SSE at http.max-streams), unavailable (no Doppler known), origin ({@link CookieOriginCheck}),
 * and on the public listener's connections connection_limit, handshake_timeout and idle_timeout.
 */
public final class Rejections {

    private final ProxyMetrics metrics;

    public Rejections(ProxyMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public void count(String reason) {
        metrics.rejected(reason).increment();
    }

    public void count(AuthFailure failure) {
        count(failure.reason());
    }
}
