package dev.hydrant.trafficcontroller.websocket;

import dev.hydrant.trafficcontroller.auth.AuthException;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.auth.Rejections;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authorizes the v1 websocket paths before the upgrade, so a refusal is a plain HTTP answer with
 * the status docs/wire.md section 4 gives: the firehose needs an admin token (else 401 with
 * WWW-Authenticate); an app stream needs the app to pass the access policy (else 404; 401
 * without any token). An authorized request with an unknown {@code filter-type} gets 400 (text).
 * Nothing reaches a Doppler before this passes.
 */
public final class V1AuthFilter implements WebFilter {

    private final Authorizer authorizer;
    private final Rejections rejections;

    public V1AuthFilter(Authorizer authorizer, Rejections rejections) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        StreamTarget target = StreamTarget.of(exchange.getRequest().getURI());
        if (target == null) {
            return chain.filter(exchange);
        }
        var check = target.firehose()
                ? authorizer.requireAdmin(exchange.getRequest())
                : authorizer.requireRead(exchange.getRequest(), target.id());
        return check
                .then(Mono.just(true))
                .onErrorResume(AuthException.class, e -> {
                    rejections.count(e.failure());
                    return Refusal.v1(e.failure(), target.firehose())
                            .writeTo(exchange.getResponse())
                            .then(Mono.just(false));
                })
                .flatMap(allowed -> allowed ? valid(target, exchange, chain) : Mono.empty());
    }

    /** Checked after auth, as /v2/read does, so a caller who may not read learns nothing from a 400. */
    private Mono<Void> valid(StreamTarget target, ServerWebExchange exchange, WebFilterChain chain) {
        if (target.error() == null) {
            return chain.filter(exchange);
        }
        rejections.count("bad_request");
        return new Refusal(HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, target.error(), "bad_request")
                .writeTo(exchange.getResponse());
    }
}
