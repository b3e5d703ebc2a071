package dev.hydrant.trafficcontroller.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Access decided the way Cloud Foundry does it: {@code GET /internal/v4/log_access/{id}} on the
 * Cloud Controller with the caller's own token; 200 allows, anything else (or no answer within
 * the timeout) refuses.
 */
public final class CloudControllerAccessPolicy implements AccessPolicy {

    /** How long a log-access check may take before it counts as a refusal. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final WebClient client;

    public CloudControllerAccessPolicy(URI baseUrl, WebClient.Builder builder) {
        this.client = builder.baseUrl(Objects.requireNonNull(baseUrl, "baseUrl").toString()).build();
    }

    @Override
    public Mono<Boolean> canRead(Caller caller, String sourceId) {
        return client.get()
                .uri("/internal/v4/log_access/{id}", sourceId)
                .header(HttpHeaders.AUTHORIZATION, "bearer " + caller.token())
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(response.statusCode().value() == 200))
                .timeout(DEFAULT_TIMEOUT)
                .onErrorReturn(false);
    }
}
