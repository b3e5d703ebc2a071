package dev.hydrant.trafficcontroller.auth;

import java.util.Collection;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Access decided by a claim of the token that lists the readable source ids, as a JSON array of
 * strings or as one string separated by spaces or commas.
 */
public final class ClaimAccessPolicy implements AccessPolicy {

    private final String claim;

    public ClaimAccessPolicy(String claim) {
        this.claim = Objects.requireNonNull(claim, "claim");
    }

    @Override
    public Mono<Boolean> canRead(Caller caller, String sourceId) {
        Object value = caller.claims().get(claim);
        if (value instanceof Collection<?> list) {
            return Mono.just(list.stream().anyMatch(v -> sourceId.equals(String.valueOf(v))));
        }
        if (value instanceof String text) {
            for (String id : text.split("[\\s,]+")) {
                if (id.equals(sourceId)) {
                    return Mono.just(true);
                }
            }
        }
        return Mono.just(false);
    }
}
