package dev.hydrant.trafficcontroller.listener;

import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.websocket.StreamTarget;
import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * At most {@code http.max-streams} long-lived streams on the public listener at once: v1 websockets
 * ({@code /firehose/*}, {@code /apps/*}{@code /stream}) and {@code /v2/read} together. A request
 * for one more is answered 503 before anything else is done for it (no token check, no Doppler
 * subscription) and counted as {@code rejected_requests{reason=stream_limit}}; a place is held
 * from the request until its stream ends, however it ends.
 */
public final class StreamLimit implements WebFilter, Ordered {

    private final int max;
    private final Rejections rejections;
    private final AtomicInteger open = new AtomicInteger();

    public StreamLimit(int max, Rejections rejections) {
        this.max = max;
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20; // after the Origin check, before auth
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        boolean sse = exchange.getRequest().getPath().value().equals("/v2/read");
        if (!sse && StreamTarget.of(exchange.getRequest().getURI()) == null) {
            return chain.filter(exchange);
        }
        if (!take()) {
            rejections.count("stream_limit");
            String message = "this Traffic Controller serves at most " + max
                    + " websocket and server-sent-event streams at once; try again later or another Traffic Controller";
            Refusal refusal = sse
                    ? Refusal.json(HttpStatus.SERVICE_UNAVAILABLE, "stream_limit", message, "stream_limit")
                    : new Refusal(HttpStatus.SERVICE_UNAVAILABLE, MediaType.TEXT_PLAIN, message, "stream_limit");
            return refusal.writeTo(exchange.getResponse());
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        // an SSE stream ends with its response; a websocket's handling goes on after the upgrade
        // answered the request, until its connection closes
        return Mono.defer(() -> chain.filter(exchange)).doFinally(signal -> {
            Channel channel = channelOf(exchange);
            if (channel != null && PublicListener.upgraded(channel)) {
                channel.closeFuture().addListener(closed -> release.run());
            } else {
                release.run();
            }
        });
    }

    private static Channel channelOf(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        return request instanceof Connection connection ? connection.channel() : null;
    }

    private boolean take() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Streams open now, as this limit counts them. */
    public int open() {
        return open.get();
    }
}
