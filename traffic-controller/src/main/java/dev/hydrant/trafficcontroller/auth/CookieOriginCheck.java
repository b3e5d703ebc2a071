package dev.hydrant.trafficcontroller.auth;

import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Against cross-site request forgery with the authorization cookie, which a browser attaches by itself
 * to requests that another site's page makes, websocket upgrades included (no CORS protects those).
 * A request whose token comes from the cookie, not from the Authorization header, passes only when
 * its {@code Origin} is allowed ({@link AllowedOrigins}: the Traffic Controller's own host or one of
 * {@code auth.allowed-origins}). A websocket upgrade must carry an Origin (browsers always send one); other
 * requests may lack it (browsers leave it out of their own site's plain GETs) but not carry a foreign
 * one. Refused: 403, counted as {@code rejected_requests{reason=origin}}, before the token is even
 * checked. A token in the Authorization header (what nozzles, the CLI and other programs send) passes
 * whatever its Origin: a page of another site cannot make a browser add that header.
 */
public final class CookieOriginCheck implements WebFilter, Ordered {

    private final AllowedOrigins origins;
    private final Rejections rejections;

    public CookieOriginCheck(AllowedOrigins origins, Rejections rejections) {
        this.origins = Objects.requireNonNull(origins, "origins");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!Authorizer.tokenFromCookie(request)) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        String origin = headers.getOrigin();
        boolean upgrade = "websocket".equalsIgnoreCase(headers.getUpgrade());
        if (origin == null ? !upgrade : origins.allows(origin, headers.getFirst(HttpHeaders.HOST))) {
            return chain.filter(exchange);
        }
        rejections.count("origin");
        String body = "Forbidden: a token from the authorization cookie is accepted only from this host's own "
                + "pages or an allowed origin" + (origin == null ? " (the request has no Origin)" : "");
        return new Refusal(HttpStatus.FORBIDDEN, MediaType.TEXT_PLAIN, body, "origin").writeTo(exchange.getResponse());
    }
}
