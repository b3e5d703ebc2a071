package dev.hydrant.cli.wire;

import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The Traffic Controller's HTTP port as the CLI sees it (docs/wire.md sections 4 and 5), with its auth answers:
 * the v1 app stream and recent logs answer 401 without a token and 404 for a bad token or an app the token
 * may not read; the v1 firehose answers 401 unless the token is an admin's; {@code /v2/read} answers 404 for
 * every refusal. Tokens are plain strings: {@link #ADMIN} reads everything, {@link #token} grants apps.
 * It can be stopped (every connection cut, the port refusing) and started again on the same port.
 */
public final class TestTrafficController implements AutoCloseable {

    public static final String ADMIN = "admin-token";

    private final Sinks.Many<EnvelopeBatch> batches = Sinks.many().multicast().directBestEffort();
    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>(Map.of(ADMIN, Set.of("*")));
    private final Map<String, List<Envelope>> recent = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile DisposableServer server;

    public TestTrafficController() {
        this(0);
    }

    /** On a fixed port (0: any free one). */
    public TestTrafficController(int port) {
        this.port = port;
    }

    public TestTrafficController start() {
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
        connections.forEach(Connection::dispose);
        server.disposeNow(Duration.ofSeconds(1));
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

    /** Lets {@code token} read these apps. */
    public TestTrafficController token(String token, String... apps) {
        tokens.put(token, Set.of(apps));
        return this;
    }

    public TestTrafficController recentLogs(String sourceId, List<Envelope> envelopes) {
        recent.put(sourceId, envelopes);
        return this;
    }

    /** Sends one batch to every open stream. */
    public void publish(Envelope... envelopes) {
        batches.tryEmitNext(EnvelopeBatch.newBuilder().addAllBatch(List.of(envelopes)).build());
    }

    public int subscribers() {
        return batches.currentSubscriberCount();
    }

    /** Every request as "METHOD uri | authorization". */
    public List<String> requests() {
        return requests;
    }

    private void routes(HttpServerRoutes routes) {
        routes.get("/v2/read", this::sse)
                .get("/firehose/{subscription}", this::websocket)
                .get("/apps/{id}/stream", this::websocket)
                .get("/apps/{id}/recentlogs", this::recentLogs);
    }

    /** 0 when allowed, else the v1 status: 401 without a token or for a non-admin on the firehose, else 404. */
    private int check(HttpServerRequest request, String app) {
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION, "");
        requests.add(request.method() + " " + request.uri() + " | " + header);
        if (header.isBlank()) {
            return 401;
        }
        Set<String> apps = tokens.get(header.replaceFirst("(?i)^bearer ", ""));
        if (apps != null && (apps.contains("*") || app != null && apps.contains(app))) {
            return 0;
        }
        return app == null ? 401 : 404;
    }

    private Mono<Void> sse(HttpServerRequest request, HttpServerResponse response) {
        Set<String> flags = request.uri().contains("?")
                ? Set.of(request.uri().substring(request.uri().indexOf('?') + 1).split("&")) : Set.of();
        String app = flags.stream().filter(f -> f.startsWith("source_id=")).map(f -> f.substring(10)).findFirst().orElse(null);
        if (check(request, app) != 0) {
            return response.status(HttpResponseStatus.NOT_FOUND).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .sendString(Mono.just("{\"error\":\"not_found\",\"message\":\"resource not found\"}")).then();
        }
        Flux<String> data = batches.asFlux()
                .map(batch -> EnvelopeBatch.newBuilder().addAllBatch(batch.getBatchList().stream()
                        .filter(e -> app == null || app.equals(e.getSourceId()))
                        .filter(e -> flags.contains(e.getMessageCase().name().toLowerCase())).toList()).build())
                .filter(batch -> batch.getBatchCount() > 0)
                .map(batch -> "data: " + EnvelopeJson.toJson(batch) + "\n\n");
        Flux<String> heartbeats = Flux.interval(Duration.ofMillis(200)).map(i -> "event: heartbeat\ndata: 0\n\n");
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .sendString(Flux.merge(data, heartbeats)).then();
    }

    private Mono<Void> websocket(HttpServerRequest request, HttpServerResponse response) {
        String app = request.param("id");
        int refusal = check(request, app);
        if (refusal != 0) {
            return response.status(refusal).send();
        }
        return response.sendWebsocket((in, out) -> {
            Flux<WebSocketFrame> frames = batches.asFlux()
                    .concatMapIterable(EnvelopeBatch::getBatchList)
                    .filter(envelope -> app == null || app.equals(envelope.getSourceId()))
                    .filter(envelope -> !request.uri().endsWith("filter-type=logs") || envelope.hasLog())
                    .filter(envelope -> !request.uri().endsWith("filter-type=metrics") || !envelope.hasLog())
                    .concatMapIterable(V1Conversion::toV1)
                    .map(v1 -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(v1.toByteArray())));
            Flux<WebSocketFrame> pings = Flux.interval(Duration.ofMillis(200))
                    .map(i -> new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
            return Mono.firstWithSignal(in.receiveFrames().then(), out.sendObject(Flux.merge(frames, pings)).then());
        });
    }

    private Mono<Void> recentLogs(HttpServerRequest request, HttpServerResponse response) {
        int refusal = check(request, request.param("id"));
        if (refusal != 0) {
            return response.status(refusal).send();
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
}
