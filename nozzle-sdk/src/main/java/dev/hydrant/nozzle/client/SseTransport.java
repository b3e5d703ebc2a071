package dev.hydrant.nozzle.client;

import dev.hydrant.api.json.EnvelopeJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Selector;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The RLP gateway's v2 stream, {@code GET /v2/read} (docs/wire.md section 5): each {@code data:} event is
 * one EnvelopeBatch in proto3 JSON, {@code heartbeat} events keep the stream alive and {@code closing}
 * ends it normally. A body that ends without {@code closing} is a lost connection. An event that does
 * not parse is counted in {@code unreadable} and skipped.
 */
final class SseTransport implements StreamTransport {

    private final HttpClient http;
    private final String baseUrl;
    private final int maxEventBytes;
    private final LongAdder unreadable;

    SseTransport(HttpClient http, String baseUrl, int maxEventBytes, LongAdder unreadable) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.maxEventBytes = maxEventBytes;
        this.unreadable = unreadable;
    }

    @Override
    public String endpoint() {
        return baseUrl + "/v2/read";
    }

    @Override
    public Flux<Frame> open(ReadRequest request, String token) {
        String uri = baseUrl + "/v2/read?" + query(request);
        return http.headers(h -> {
                    h.set(HttpHeaderNames.ACCEPT, "text/event-stream");
                    if (!token.isEmpty()) {
                        h.set(HttpHeaderNames.AUTHORIZATION, "bearer " + token);
                    }
                })
                .get()
                .uri(uri)
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return body.aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                                .flatMapMany(text -> Flux.error(HydrantClientException.http("GET /v2/read", status, text)));
                    }
                    SseDecoder decoder = new SseDecoder(maxEventBytes, unreadable::increment);
                    AtomicBoolean closing = new AtomicBoolean();
                    Flux<Frame> frames = body.asByteArray()
                            .concatMapIterable(decoder::feed)
                            .<Frame>handle((event, sink) -> {
                                switch (event.event()) {
                                    case "message" -> sink.next(decode(event.data()));
                                    case "closing" -> {
                                        closing.set(true);
                                        sink.complete();
                                    }
                                    default -> sink.next(Frame.HEARTBEAT);
                                }
                            })
                            .concatWith(Mono.defer(() -> closing.get() ? Mono.empty()
                                    : Mono.error(new IllegalStateException("the event stream ended without a closing event"))));
                    return Flux.just(Frame.OPEN).concatWith(frames);
                });
    }

    private Frame decode(String json) {
        try {
            EnvelopeBatch batch = EnvelopeJson.batchFromJson(json);
            return batch.getBatchCount() == 0 ? Frame.HEARTBEAT : Frame.data(batch.getBatchList());
        } catch (IllegalArgumentException unreadableEvent) {
            unreadable.increment();
            return Frame.HEARTBEAT;
        }
    }

    /** The query of docs/wire.md section 5 for these selectors. */
    static String query(ReadRequest request) {
        Set<String> params = new LinkedHashSet<>();
        if (!request.subscriptionId().isEmpty()) {
            params.add("shard_id=" + encode(request.subscriptionId()));
        }
        for (Selector selector : request.selectors()) {
            if (!selector.getSourceId().isEmpty()) {
                params.add("source_id=" + encode(selector.getSourceId()));
            }
        }
        for (Selector selector : request.selectors()) {
            switch (selector.getMessageCase()) {
                case LOG -> params.add("log");
                case COUNTER -> {
                    params.add("counter");
                    if (!selector.getCounter().getName().isEmpty()) {
                        params.add("counter.name=" + encode(selector.getCounter().getName()));
                    }
                }
                case GAUGE -> {
                    params.add("gauge");
                    if (selector.getGauge().getNamesCount() > 0) {
                        params.add("gauge.name=" + encode(String.join(",", selector.getGauge().getNamesList())));
                    }
                }
                case TIMER -> params.add("timer");
                case EVENT -> params.add("event");
                case MESSAGE_NOT_SET -> {
                    // ReadRequest refuses selectors without a type
                }
            }
        }
        return String.join("&", params);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
