package dev.hydrant.trafficcontroller.listener;

import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.TrafficControllerProperties;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

/**
 * The guard of the public listener (port 8081): at most {@code http.max-connections} open connections
 * (one more is closed at once and counted as {@code rejected_requests{reason=connection_limit}}), and
 * on each connection a {@link ConnectionDeadline} for the TLS handshake, each request and each
 * kept-alive pause. It takes over the TLS handshake timeout from the TLS handlers, so that a handshake
 * cut short is counted and closed like every other deadline.
 */
public final class PublicListener implements NettyServerCustomizer {

    /** Our handlers' names in each connection's pipeline, around Reactor Netty's HTTP codec. */
    private static final Duration TLS_BACKSTOP = Duration.ofSeconds(1);

    /** Set on a connection once it became a websocket. */
    static final AttributeKey<Boolean> UPGRADED = AttributeKey.valueOf("hydrant.upgraded");

    static final String ADMISSION = "hydrant.connectionAdmission";
    static final String DEADLINE = "hydrant.connectionDeadline";
    static final String BYTES_SEEN = "hydrant.requestBytesSeen";

    private final TrafficControllerProperties.Http settings;
    private final AtomicInteger open;
    private final Rejections rejections;

    /** @param open the gauge of open connections */
    public PublicListener(TrafficControllerProperties.Http settings, AtomicInteger open, Rejections rejections) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.open = Objects.requireNonNull(open, "open");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public HttpServer apply(HttpServer server) {
        SslProvider tls = server.configuration().sslProvider();
        if (tls != null) {
            // the same TLS (Boot's context: certificate, protocols, ciphers) with the TLS handlers' own
            // handshake timeout just after ours, so that ours closes and counts, theirs only backs it up
            server = server.secure(SslProvider.builder().sslContext(tls.getSslContext())
                    .handshakeTimeout(settings.handshakeTimeout().plus(TLS_BACKSTOP)).build());
        }
        return server.doOnChannelInit((observer, channel, remote) -> {
            ChannelPipeline pipeline = channel.pipeline();
            ConnectionDeadline deadline = new ConnectionDeadline(this);
            // the deadlines read HTTP/1.1 (what the Traffic Controller serves); without its codec (HTTP/2
            // turned on in Boot's settings) only the connection cap applies
            boolean http11 = pipeline.get(NettyPipeline.HttpCodec) != null;
            pipeline.addFirst(ADMISSION, deadline.admission(http11));
            if (http11) {
                pipeline.addBefore(NettyPipeline.HttpCodec, BYTES_SEEN, deadline.bytesSeen());
                pipeline.addAfter(NettyPipeline.HttpCodec, DEADLINE, deadline);
            }
        });
    }

    /** Whether this connection of the public listener became a websocket. */
    static boolean upgraded(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(UPGRADED).get());
    }

    TrafficControllerProperties.Http settings() {
        return settings;
    }

    /** Counts a new connection in, when there is room for it. */
    boolean admit() {
        while (true) {
            int now = open.get();
            if (now >= settings.maxConnections()) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void leave() {
        open.decrementAndGet();
    }

    void refuse(String reason) {
        rejections.count(reason);
    }
}
