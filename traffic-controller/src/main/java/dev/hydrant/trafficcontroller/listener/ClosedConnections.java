package dev.hydrant.trafficcontroller.listener;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * A request whose connection closed before it was read whole (the client left, or its request
 * deadline passed) has no one left to answer: its handling ends quietly instead of as a logged
 * "500 Server Error" with a stack trace, one per such connection.
 */
public final class ClosedConnections implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).onErrorResume(AbortedException.class, e -> Mono.empty());
    }
}
