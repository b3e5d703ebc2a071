package dev.hydrant.trafficcontroller.websocket;

import com.google.protobuf.AbstractMessageLite;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.fanin.ClientStream;
import dev.hydrant.trafficcontroller.fanin.ClientStreams;
import dev.hydrant.trafficcontroller.fanin.OncePerEnvelope;
import dev.hydrant.trafficcontroller.fanin.TransportBytes;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The v1 websocket streams (docs/wire.md section 4): every binary frame is one marshalled dropsonde
 * Envelope. Each consumer has its own {@link ClientStream} (the Traffic Controller's own envelopes
 * included, those with a v1 form); frames are taken from it only as fast as the socket accepts
 * them. A consumer that keeps envelopes waiting for longer than the slow-consumer timeout is cut
 * (counted and announced, see {@link SlowConsumerNotice}); a ping goes out every ping interval and
 * a ping left without a pong for a whole interval closes the stream with 1008.
 * Authorization happened before the upgrade ({@link V1AuthFilter}).
 *
 * <p>The conversion to v1 ({@link V1Conversion#toV1}, then marshalled) is made once per envelope and its
 * frames shared by every consumer sent the same envelope ({@link OncePerEnvelope}).
 */
public final class V1StreamHandler implements WebSocketHandler {

    private final ClientStreams streams;
    private final ProxyMetrics metrics;
    private final SlowConsumerNotice notice;
    private final OpenConnections connections;
    private final Duration slowConsumerTimeout;
    private final Duration pingInterval;
    private final OncePerEnvelope<List<byte[]>> v1Frames = new OncePerEnvelope<>(envelope ->
            V1Conversion.toV1(envelope.envelope()).stream().map(AbstractMessageLite::toByteArray).toList());

    public V1StreamHandler(ClientStreams streams, ProxyMetrics metrics, SlowConsumerNotice notice,
                           OpenConnections connections, Duration slowConsumerTimeout, Duration pingInterval) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.notice = Objects.requireNonNull(notice, "notice");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.slowConsumerTimeout = slowConsumerTimeout;
        this.pingInterval = pingInterval;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        StreamTarget target = StreamTarget.of(session.getHandshakeInfo().getUri());
        if (target == null) {
            return session.close(CloseStatus.POLICY_VIOLATION);
        }
        ClientStream stream = streams.open(target.request(),
                target.firehose() ? metrics.firehoses() : metrics.appStreams());
        Counter egress = metrics.egress(target.endpoint());
        AtomicBoolean cut = new AtomicBoolean();

        // what the connection has not yet written bounds what leaves the client's buffer (TransportBytes)
        TransportBytes transport = new TransportBytes();
        if (session instanceof ReactorNettyWebSocketSession netty) {
            connections.find(netty.getChannelId()).ifPresent(transport::watch);
        }
        Flux<WebSocketMessage> frames = stream.envelopes(transport)
                .concatMapIterable(v1Frames, 32)
                .map(frame -> {
                    egress.increment();
                    return new WebSocketMessage(WebSocketMessage.Type.BINARY, transport.track(frame));
                });

        AtomicLong lastPing = new AtomicLong();
        AtomicLong lastPong = new AtomicLong();
        Flux<WebSocketMessage> pings = Flux.interval(pingInterval, pingInterval)
                .onBackpressureDrop()
                .<WebSocketMessage>handle((tick, sink) -> {
                    if (lastPing.get() != 0 && lastPong.get() < lastPing.get()) {
                        close(session, cut, new CloseStatus(1008, "no pong within " + pingInterval));
                        return;
                    }
                    lastPing.set(System.nanoTime());
                    sink.next(session.pingMessage(factory -> factory.wrap(new byte[0])));
                });

        long timeoutNanos = slowConsumerTimeout.toNanos();
        Duration check = Duration.ofMillis(Math.max(50, slowConsumerTimeout.toMillis() / 10));
        Disposable watchdog = Flux.interval(check, check).subscribe(tick -> {
            if (stream.stalledNanos(System.nanoTime()) > timeoutNanos && !cut.get()) {
                metrics.slowConsumers().increment();
                notice.announce(target, session.getHandshakeInfo().getRemoteAddress(), slowConsumerTimeout);
                close(session, cut, new CloseStatus(1008, "slow consumer"));
            }
        });

        Mono<Void> receive = session.receive()
                .doOnNext(message -> {
                    if (message.getType() == WebSocketMessage.Type.PONG) {
                        lastPong.set(System.nanoTime());
                    }
                })
                .then();
        // the frames end only when the Traffic Controller stops (ClientStream.finish): then the pings
        // stop too and the consumer is told 1001, going away
        Mono<Void> send = session.send(frames.publish(shared -> Flux.merge(shared, pings.takeUntilOther(shared.then())))
                        .checkpoint("traffic-controller.websocket"))
                .then(Mono.defer(() -> session.close(CloseStatus.GOING_AWAY)));
        return Mono.firstWithSignal(receive, send)
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    watchdog.dispose();
                    stream.close();
                });
    }

    /** The conversions made so far, one per envelope sent rather than one per consumer when they share. */
    public long conversions() {
        return v1Frames.conversions();
    }

    /**
     * Sends a close frame and closes the connection soon after, whether or not the consumer reads
     * the frame: a stalled consumer would never let the close handshake finish.
     */
    private void close(WebSocketSession session, AtomicBoolean cut, CloseStatus status) {
        if (!cut.compareAndSet(false, true)) {
            return;
        }
        session.close(status)
                .timeout(Duration.ofMillis(500), Mono.empty())
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    if (session instanceof ReactorNettyWebSocketSession netty) {
                        connections.close(netty.getChannelId());
                    }
                })
                .subscribe();
    }
}
