package dev.hydrant.trafficcontroller.sse;

import dev.hydrant.trafficcontroller.auth.AuthException;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.fanin.ClientStream;
import dev.hydrant.trafficcontroller.fanin.ClientStreams;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import dev.hydrant.trafficcontroller.fanin.TransportBytes;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /v2/read}: the RLP gateway's v2 stream over server-sent events (docs/wire.md section 5).
 * Each batch taken from the client's {@link ClientStream} (at most {@link ClientStream#MAX_BATCH}
 * envelopes) is one {@code data:} event holding the batch as proto3 JSON ({@link DataEvents}: each
 * envelope's JSON made once and shared by the readers sent the same envelope); with nothing sent for the
 * heartbeat interval a heartbeat event goes out; at the stream timeout a closing event ends the
 * stream. Errors are JSON bodies: 400 for a bad query,
 * 404 for any auth failure, 503 when no Doppler is known.
 */
public final class SseReadHandler {

    private static final DataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

    private final Authorizer authorizer;
    private final ClientStreams streams;
    private final ProxyMetrics metrics;
    private final Rejections rejections;
    private final Duration heartbeat;
    private final Duration streamTimeout;
    private final EgressLimits limits;
    private final DataEvents events = new DataEvents();

    public SseReadHandler(Authorizer authorizer, ClientStreams streams, ProxyMetrics metrics, Rejections rejections,
                          Duration heartbeat, Duration streamTimeout, EgressLimits limits) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
        this.heartbeat = heartbeat;
        this.streamTimeout = streamTimeout;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Mono<ServerResponse> read(ServerRequest request) {
        ReadQuery query = ReadQuery.parse(request.queryParams(), limits);
        return authorizer.authenticate(request.exchange().getRequest())
                .flatMap(caller -> authorizer.requireReadAll(caller, query.sourceIds()))
                .flatMap(caller -> {
                    if (query.error() != null) {
                        return refuse(query.error());
                    }
                    if (!streams.hasDopplers()) {
                        return refuse(Refusal.json(HttpStatus.SERVICE_UNAVAILABLE, "streaming_unavailable",
                                "streaming is temporarily unavailable", "unavailable"));
                    }
                    return ServerResponse.ok()
                            .contentType(MediaType.TEXT_EVENT_STREAM)
                            .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                            .header(HttpHeaders.CONNECTION, "keep-alive")
                            .body(BodyInserters.fromDataBuffers(stream(query.request(), request.exchange().getResponse())));
                })
                .onErrorResume(AuthException.class, e -> refuse(Refusal.notFound(e.failure())));
    }

    private Mono<ServerResponse> refuse(Refusal refusal) {
        rejections.count(refusal.reason());
        return refusal.toResponse();
    }

    private Flux<DataBuffer> stream(EgressBatchRequest request, ServerHttpResponse response) {
        return Flux.defer(() -> {
            ClientStream stream = streams.open(request, metrics.sseStreams());
            Counter egress = metrics.egress("sse");
            AtomicLong lastSent = new AtomicLong(System.nanoTime());

            // what the connection has not yet written bounds what leaves the client's buffer (TransportBytes)
            TransportBytes transport = new TransportBytes();
            if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty) {
                netty.withConnection(connection -> transport.watch(connection.channel()));
            }
            Flux<DataBuffer> data = stream.batches(transport).map(batch -> {
                egress.increment(batch.size());
                lastSent.set(System.nanoTime());
                return transport.track(events.event(batch));
            });
            long heartbeatNanos = heartbeat.toNanos();
            Duration tick = Duration.ofMillis(Math.max(50, heartbeat.toMillis() / 5));
            Flux<DataBuffer> heartbeats = Flux.interval(tick, tick)
                    .onBackpressureDrop()
                    .filter(t -> System.nanoTime() - lastSent.get() >= heartbeatNanos)
                    .map(t -> {
                        lastSent.set(System.nanoTime());
                        return BUFFERS.wrap(heartbeat());
                    });
            // a heartbeat at once: the first event commits the response, so a reader of a quiet source
            // gets its 200 and headers now instead of after a whole heartbeat interval
            // the data ends only when the Traffic Controller stops (ClientStream.finish): the heartbeats with it
            return data.publish(shared -> Flux.merge(1, shared, heartbeats.takeUntilOther(shared.then())))
                    .startWith(BUFFERS.wrap(heartbeat()))
                    .take(streamTimeout)
                    .concatWith(Mono.fromSupplier(() -> BUFFERS.wrap(("event: closing\ndata: closing due to "
                            + (stream.isFinishing() ? "shutdown" : "stream timeout") + "\n\n").getBytes(StandardCharsets.UTF_8))))
                    .checkpoint("traffic-controller.sse")
                    .doFinally(signal -> stream.close());
        });
    }

    private static byte[] heartbeat() {
        return ("event: heartbeat\ndata: " + (System.currentTimeMillis() / 1000) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Envelopes turned into JSON so far: one per envelope sent when readers share them. */
    public long conversions() {
        return events.conversions();
    }
}
