package dev.hydrant.nozzle.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.select.Selectors;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * The v1 websocket streams (docs/wire.md section 4): {@code /firehose/{subscription}?filter-type=logs|metrics}
 * for every source, {@code /apps/{id}/stream} for one. Each binary frame is one marshalled dropsonde
 * Envelope, converted to v2 and filtered by the request's selectors here. Server pings are answered and
 * count as signs of life. A close with 1000 or 1001 ends the stream normally; any other end is a lost
 * connection. Frames that do not parse or convert are counted in {@code unreadable}.
 */
final class WebSocketTransport implements StreamTransport {

    private final HttpClient http;
    private final String baseUrl;
    private final int maxFrameBytes;
    private final LongAdder unreadable;

    WebSocketTransport(HttpClient http, String baseUrl, int maxFrameBytes, LongAdder unreadable) {
        this.http = http;
        this.baseUrl = baseUrl.replaceFirst("^http", "ws");
        this.maxFrameBytes = maxFrameBytes;
        this.unreadable = unreadable;
    }

    @Override
    public String endpoint() {
        return baseUrl;
    }

    /**
     * One connection per path, merged: the first failure ends the attempt and cuts the other connections. Their
     * own failures, and any after the reader cancelled, would reach nobody (Reactor logs such dropped errors
     * with a stack trace per connection): they end quietly instead.
     */
    @Override
    public Flux<Frame> open(ReadRequest request, String token) {
        List<Selector> selectors = request.selectors();
        AtomicBoolean over = new AtomicBoolean();
        return Flux.merge(paths(request).stream().map(path -> open(path, token, selectors)
                        .onErrorResume(e -> over.compareAndSet(false, true) ? Mono.error(e) : Mono.empty()))
                        .toList())
                .doOnCancel(() -> over.set(true));
    }

    /** The firehose, or one app stream per source id named by the selectors. */
    static List<String> paths(ReadRequest request) {
        if (request.everySource()) {
            if (request.subscriptionId().isEmpty()) {
                throw new IllegalArgumentException("the websocket firehose needs a subscription id");
            }
            boolean logs = request.selectors().stream().anyMatch(s -> s.hasLog());
            boolean metrics = request.selectors().stream().anyMatch(s -> s.hasCounter() || s.hasGauge() || s.hasTimer());
            String filter = logs && !metrics ? "?filter-type=logs" : metrics && !logs ? "?filter-type=metrics" : "";
            return List.of("/firehose/" + encode(request.subscriptionId()) + filter);
        }
        return request.selectors().stream()
                .map(s -> s.getSourceId().isEmpty() ? "" : "/apps/" + encode(s.getSourceId()) + "/stream")
                .filter(path -> !path.isEmpty())
                .distinct()
                .toList();
    }

    private Flux<Frame> open(String path, String token, List<Selector> selectors) {
        WebsocketClientSpec spec = WebsocketClientSpec.builder()
                .handlePing(true)
                .maxFramePayloadLength(maxFrameBytes)
                .build();
        return http.headers(h -> {
                    if (!token.isEmpty()) {
                        h.set(HttpHeaderNames.AUTHORIZATION, "bearer " + token);
                    }
                })
                .websocket(spec)
                .uri(baseUrl + path)
                .handle((in, out) -> {
                    Flux<Frame> frames = in.receiveFrames().map(frame -> {
                        if (frame instanceof BinaryWebSocketFrame binary) {
                            return decode(ByteBufUtil.getBytes(binary.content()), selectors);
                        }
                        if (frame instanceof PingWebSocketFrame ping) {
                            // a pong that cannot be sent means the connection is going: its end says so
                            out.sendObject(new PongWebSocketFrame(ping.content().retain())).then()
                                    .subscribe(null, connectionGoing -> { });
                        }
                        return Frame.HEARTBEAT;
                    });
                    Mono<Frame> end = in.receiveCloseStatus()
                            .timeout(Duration.ofSeconds(1), Mono.just(WebSocketCloseStatus.ABNORMAL_CLOSURE))
                            .defaultIfEmpty(WebSocketCloseStatus.ABNORMAL_CLOSURE)
                            .flatMap(status -> normal(status) ? Mono.empty()
                                    : Mono.error(new IllegalStateException("the websocket " + path + " closed with "
                                            + status.code() + " " + status.reasonText())));
                    return Flux.just(Frame.OPEN).concatWith(frames).concatWith(end);
                })
                // an HTTP answer other than 101 is a refusal; a connection closed before any answer (a server
                // going down or coming up) stays an ordinary, retryable failure
                .onErrorMap(e -> e instanceof WebSocketClientHandshakeException handshake && handshake.response() != null,
                        e -> HydrantClientException.http("GET " + path,
                                ((WebSocketClientHandshakeException) e).response().status().code(), ""));
    }

    private static boolean normal(WebSocketCloseStatus status) {
        return status.code() == 1000 || status.code() == 1001;
    }

    private Frame decode(byte[] bytes, List<Selector> selectors) {
        try {
            Optional<Envelope> v2 = V1Conversion.toV2(EventFactory.Envelope.parseFrom(bytes));
            if (v2.isEmpty()) {
                unreadable.increment();
                return Frame.HEARTBEAT;
            }
            return Selectors.matchesAny(selectors, v2.get()) ? Frame.data(List.of(v2.get())) : Frame.HEARTBEAT;
        } catch (InvalidProtocolBufferException e) {
            unreadable.increment();
            return Frame.HEARTBEAT;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
