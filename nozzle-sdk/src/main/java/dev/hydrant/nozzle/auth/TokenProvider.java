package dev.hydrant.nozzle.auth;

import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Supplies the bearer token sent as {@code Authorization: bearer <token>}. Asked before every
 * connection attempt, so implementations cache; told when the server refused a token (401, or 404
 * where the wire hides refusals) so that the next call fetches a fresh one.
 */
public interface TokenProvider {

    /** The access token without the {@code bearer } prefix; empty when no token is to be sent. */
    Mono<String> token();

    /** The server refused {@code token}: do not hand it out again. */
    default void invalidate(String token) {
    }

    /** Always the same token (a leading {@code bearer } is removed). */
    static TokenProvider fixed(String token) {
        Objects.requireNonNull(token, "token");
        String value = token.regionMatches(true, 0, "bearer ", 0, 7) ? token.substring(7).trim() : token.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        Mono<String> mono = Mono.just(value);
        return () -> mono;
    }

    /** Sends no token: for servers with auth disabled and for gRPC, which authenticates by mutual TLS. */
    static TokenProvider none() {
        Mono<String> empty = Mono.just("");
        return () -> empty;
    }
}
