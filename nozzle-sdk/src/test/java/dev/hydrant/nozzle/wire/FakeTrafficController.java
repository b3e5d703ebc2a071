package dev.hydrant.nozzle.wire;

import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * A stand-in for the Traffic Controller's HTTP port that speaks docs/wire.md sections 4 to 6: SSE
 * {@code /v2/read}, the v1 websockets, recent logs as multipart/x-protobuf and {@code /api/v1/read}.
 * Envelopes the test {@link #publish}es go to every open stream. It can be stopped and started again
 * on the same port, and told to send no heartbeats or pings.
 */
public final class FakeTrafficController implements AutoCloseable {

    private final Sinks.Many<EnvelopeBatch> batches = Sinks.many().multicast().directBestEffort();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final Map<String, List<Envelope>> recent = new ConcurrentHashMap<>();
    private volatile Predicate<String> acceptAuthorization = header -> true;
    private volatile Duration heartbeat = Duration.ofMillis(200);
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile DisposableServer server;

    public FakeTrafficController start() {
        server = HttpServer.create().host("127.0.0.1").port(port)
                .doOnConnection(connection -> {
                    connections.add(connection);
                    connection.onDispose(() -> connections.remove(connection));
                })
                .route(this::routes)
                .bindNow();
        port = server.port();
        return this;
    }

    /** Like a killed process: every connection is cut and the port refuses new ones. */
    public void stop() {
        server.disposeNow(Duration.ofSeconds(5));
        connections.forEach(Connection::dispose);
    }

    @Override
    public void close() {
        if (server != null && !server.isDisposed()) {
            stop();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SSE heartbeats and websocket pings at this interval; null for none (a dead-looking stream). */
    public FakeTrafficController heartbeat(Duration interval) {
        this.heartbeat = interval;
        return this;
    }

    /** Which Authorization header values are accepted (all by default). */
    public FakeTrafficController acceptAuthorization(Predicate<String> accept) {
        this.acceptAuthorization = accept;
        return this;
    }

    public FakeTrafficController recentLogs(String sourceId, List<Envelope> envelopes) {
        recent.put(sourceId, envelopes);
        return this;
    }

    /** Sends one batch to every open stream. */
    public void publish(Envelope... envelopes) {
        batches.tryEmitNext(EnvelopeBatch.newBuilder().addAllBatch(List.of(envelopes)).build());
    }

    /** Streams accepted so far, over all restarts. */
    public int streamsOpened() {
        return streamsOpened.get();
    }

    public int subscribers() {
        return batches.currentSubscriberCount();
    }

    public int pongs() {
        return pongs.get();
    }

    /** Every request as "METHOD uri | authorization". */
    public List<String> requests() {
        return requests;
    }

    private void routes(HttpServerRoutes routes) {
        routes.get("/v2/read", this::sse)
                .get("/firehose/{subscription}", this::websocket)
                .get("/apps/{id}/stream", this::websocket)
                .get("/apps/{id}/recentlogs", this::recentLogs)
                .get("/api/v1/read/{id}", this::logCacheRead);
    }

    private boolean authorized(HttpServerRequest request) {
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION, "");
        requests.add(request.method() + " " + request.uri() + " | " + authorization);
        return acceptAuthorization.test(authorization);
    }

    private Mono<Void> sse(HttpServerRequest request, HttpServerResponse response) {
        if (!authorized(request)) {
            return json(response, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\",\"message\":\"not found\"}");
        }
        if (!request.uri().contains("log") && !request.uri().contains("counter") && !request.uri().contains("gauge")) {
            return json(response, HttpResponseStatus.BAD_REQUEST,
                    "{\"error\":\"missing_envelope_type\",\"message\":\"name at least one envelope type\"}");
        }
        streamsOpened.incrementAndGet();
        Set<String> flags = request.uri().contains("?")
                ? Set.of(request.uri().substring(request.uri().indexOf('?') + 1).split("&")) : Set.of();
        Flux<String> data = batches.asFlux()
                .map(batch -> EnvelopeBatch.newBuilder().addAllBatch(batch.getBatchList().stream()
                        .filter(e -> selected(flags, e)).toList()).build())
                .filter(batch -> batch.getBatchCount() > 0)
                .map(batch -> "data: " + EnvelopeJson.toJson(batch) + "\n\n");
        Flux<String> heartbeats = heartbeat == null ? Flux.never()
                : Flux.interval(heartbeat).map(i -> "event: heartbeat\ndata: " + System.currentTimeMillis() / 1000 + "\n\n");
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .header(HttpHeaderNames.CONNECTION, "keep-alive")
                .sendString(Flux.merge(data, heartbeats))
                .then();
    }

    /** The selector semantics of /v2/read for the flags this fake understands: source_id and the type flags. */
    private static boolean selected(Set<String> flags, Envelope envelope) {
        boolean anySource = flags.stream().noneMatch(f -> f.startsWith("source_id="));
        if (!anySource && !flags.contains("source_id=" + envelope.getSourceId())) {
            return false;
        }
        return switch (envelope.getMessageCase()) {
            case LOG -> flags.contains("log");
            case COUNTER -> flags.contains("counter");
            case GAUGE -> flags.contains("gauge");
            case TIMER -> flags.contains("timer");
            case EVENT -> flags.contains("event");
            case MESSAGE_NOT_SET -> false;
        };
    }

    private Mono<Void> websocket(HttpServerRequest request, HttpServerResponse response) {
        if (!authorized(request)) {
            return response.status(HttpResponseStatus.UNAUTHORIZED)
                    .header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer").send();
        }
        String appId = request.param("id");
        streamsOpened.incrementAndGet();
        return response.sendWebsocket((in, out) -> {
            Flux<WebSocketFrame> frames = batches.asFlux()
                    .concatMapIterable(EnvelopeBatch::getBatchList)
                    .filter(envelope -> appId == null || appId.equals(envelope.getSourceId()))
                    .filter(envelope -> !request.uri().endsWith("filter-type=logs") || envelope.hasLog())
                    .filter(envelope -> !request.uri().endsWith("filter-type=metrics") || !envelope.hasLog())
                    .concatMapIterable(V1Conversion::toV1)
                    .map(v1 -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(v1.toByteArray())));
            Flux<WebSocketFrame> pings = heartbeat == null ? Flux.never()
                    : Flux.interval(heartbeat).map(i -> new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
            Mono<Void> inbound = in.receiveFrames().doOnNext(frame -> {
                if (frame instanceof PongWebSocketFrame) {
                    pongs.incrementAndGet();
                }
            }).then();
            return Mono.firstWithSignal(inbound, out.sendObject(Flux.merge(frames, pings)).then());
        });
    }

    private Mono<Void> recentLogs(HttpServerRequest request, HttpServerResponse response) {
        if (!authorized(request)) {
            return response.status(HttpResponseStatus.UNAUTHORIZED).send();
        }
        String boundary = "b0undary7";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Envelope envelope : recent.getOrDefault(request.param("id"), List.of())) {
            for (EventFactory.Envelope v1 : V1Conversion.toV1(envelope)) {
                body.writeBytes(("--" + boundary + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(v1.toByteArray());
                body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return response.header(HttpHeaderNames.CONTENT_TYPE, "multipart/x-protobuf; boundary=" + boundary)
                .sendByteArray(Mono.just(body.toByteArray())).then();
    }

    private Mono<Void> logCacheRead(HttpServerRequest request, HttpServerResponse response) {
        if (!authorized(request)) {
            return json(response, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\"}");
        }
        EnvelopeBatch batch = EnvelopeBatch.newBuilder()
                .addAllBatch(recent.getOrDefault(request.param("id"), List.of())).build();
        return json(response, HttpResponseStatus.OK, "{\"envelopes\":" + EnvelopeJson.toJson(batch) + "}");
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(body)).then();
    }
}
