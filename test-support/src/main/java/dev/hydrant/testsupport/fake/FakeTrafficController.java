package dev.hydrant.testsupport.fake;

import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ChannelBindException;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.util.retry.Retry;

/**
 * A stand-in for the Traffic Controller's HTTP port as its clients see it: SSE {@code /v2/read},
 * the v1 websockets, recent logs as multipart/x-protobuf and {@code /api/v1/read}. Envelopes the
 * test {@link #publish}es go to every open stream. It can be stopped (every connection cut, the
 * port refusing) and started again on the same port, and told to send no heartbeats or pings.
 *
 * <p>Every request is accepted until the test grants tokens ({@link #token}; {@link #ADMIN} reads
 * everything) or names the accepted Authorization headers ({@link #acceptAuthorization}). Refusals
 * answer as the real one does: 401 without a token or on the firehose, 404 for an app the token
 * may not read; {@code /v2/read} and {@code /api/v1/read} answer 404 to every refusal.
 */
public final class FakeTrafficController implements AutoCloseable {

    /** A token that reads everything once tokens are checked. */
    public static final String ADMIN = "admin-token";

    private static final int BIND_ATTEMPTS = 100;
    private static final Duration BIND_RETRY_DELAY = Duration.ofMillis(100);

    private final Sinks.Many<EnvelopeBatch> batches = Sinks.many().multicast().directBestEffort();
    private final Gate gate = new Gate();
    private final Map<String, List<Envelope>> recent = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile Duration heartbeat = Duration.ofMillis(200);
    private volatile int port;
    private volatile DisposableServer server;

    public FakeTrafficController() {
        this(0);
    }

    /** On a fixed port (0: any free one). */
    public FakeTrafficController(int port) {
        this.port = port;
    }

    /**
     * Binds its port (any free one the first time unless given). Started again after {@link #stop},
     * it takes the same port, retrying for a while as a restarted process would while the port
     * is still held.
     */
    public FakeTrafficController start() {
        server = HttpServer.create().host("127.0.0.1").port(port)
                .doOnConnection(connection -> {
                    connections.add(connection);
                    connection.onDispose(() -> connections.remove(connection));
                })
                .route(this::routes)
                .bind()
                .retryWhen(Retry.fixedDelay(BIND_ATTEMPTS, BIND_RETRY_DELAY).filter(ChannelBindException.class::isInstance))
                .block(BIND_RETRY_DELAY.multipliedBy(BIND_ATTEMPTS + 10L));
        port = server.port();
        return this;
    }

    /** Like a killed process: every connection is cut and the port refuses new ones. */
    public void stop() {
        connections.forEach(Connection::dispose);
        server.disposeNow(Duration.ofSeconds(5));
        connections.forEach(Connection::dispose);
    }

    @Override
    public void close() {
        if (server != null && !server.isDisposed()) {
            stop();
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Checks tokens from now on, and lets {@code token} read these apps. */
    public FakeTrafficController token(String token, String... apps) {
        gate.grant(token, apps);
        return this;
    }

    /** Which Authorization header values are accepted, whatever they ask to read. */
    public FakeTrafficController acceptAuthorization(Predicate<String> accept) {
        gate.accept(accept);
        return this;
    }

    /** SSE heartbeats and websocket pings at this interval; null for none (a dead-looking stream). */
    public FakeTrafficController heartbeat(Duration interval) {
        this.heartbeat = interval;
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

    /** Websocket pongs received. */
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

    /** Records the request; 0 when it may read, else the status of its refusal. */
    private int refusal(HttpServerRequest request, String app) {
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION, "");
        requests.add(request.method() + " " + request.uri() + " | " + authorization);
        return gate.refusal(authorization, app);
    }

    private Mono<Void> sse(HttpServerRequest request, HttpServerResponse response) {
        Set<String> flags = request.uri().contains("?")
                ? Set.of(request.uri().substring(request.uri().indexOf('?') + 1).split("&")) : Set.of();
        String app = flags.stream().filter(f -> f.startsWith("source_id=")).map(f -> f.substring(10)).findFirst().orElse(null);
        if (refusal(request, app) != 0) {
            return json(response, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\",\"message\":\"resource not found\"}");
        }
        if (!request.uri().contains("log") && !request.uri().contains("counter") && !request.uri().contains("gauge")) {
            return json(response, HttpResponseStatus.BAD_REQUEST,
                    "{\"error\":\"missing_envelope_type\",\"message\":\"name at least one envelope type\"}");
        }
        streamsOpened.incrementAndGet();
        Flux<String> data = batches.asFlux()
                .map(batch -> EnvelopeBatch.newBuilder().addAllBatch(batch.getBatchList().stream()
                        .filter(e -> Answers.selects(flags, e)).toList()).build())
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

    private Mono<Void> websocket(HttpServerRequest request, HttpServerResponse response) {
        String app = request.param("id");
        int refusal = refusal(request, app);
        if (refusal == 401) {
            return response.status(refusal).header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer").send();
        }
        if (refusal != 0) {
            return response.status(refusal).send();
        }
        streamsOpened.incrementAndGet();
        return response.sendWebsocket((in, out) -> {
            Flux<WebSocketFrame> frames = batches.asFlux()
                    .concatMapIterable(EnvelopeBatch::getBatchList)
                    .filter(envelope -> app == null || app.equals(envelope.getSourceId()))
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
        int refusal = refusal(request, request.param("id"));
        if (refusal != 0) {
            return response.status(refusal).send();
        }
        String boundary = "b0undary7";
        byte[] body = Answers.multipart(recent.getOrDefault(request.param("id"), List.of()), boundary);
        return response.header(HttpHeaderNames.CONTENT_TYPE, "multipart/x-protobuf; boundary=" + boundary)
                .sendByteArray(Mono.just(body)).then();
    }

    private Mono<Void> logCacheRead(HttpServerRequest request, HttpServerResponse response) {
        if (refusal(request, request.param("id")) != 0) {
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
