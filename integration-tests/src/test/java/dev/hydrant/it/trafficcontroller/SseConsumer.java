package dev.hydrant.it.trafficcontroller;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An RLP-gateway client written from docs/wire.md section 5 alone: {@code GET /v2/read} with the
 * JDK's HTTP client, the {@code text/event-stream} read line by line, each {@code data:} event of
 * the default event type parsed as an EnvelopeBatch in proto3 JSON with Jackson.
 */
public final class SseConsumer implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Generous for a loaded machine; a test that checks that the headers do not wait for the first
     * heartbeat sets the heartbeat interval well above this.
     */
    static final Duration HEADERS_WITHIN = Duration.ofSeconds(60);

    /** One v2 log envelope as the JSON told it. */
    record LogLine(String sourceId, String instanceId, long timestamp, String sourceType, String type, String text) {
    }

    /** An answer that is not a stream: status and JSON body. */
    record Answer(int status, String contentType, JsonNode body) {
    }

    /** An event of a named type other than heartbeat, such as {@code closing}, with its data. */
    public record NamedEvent(String type, String data) {
    }

    final List<JsonNode> envelopes = new CopyOnWriteArrayList<>();
    /** The named events other than heartbeats, in order of arrival. */
    public final List<NamedEvent> events = new CopyOnWriteArrayList<>();
    /** Completes when the server ends the body normally; completes exceptionally when it breaks. */
    public final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final List<String> dataLines = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    private volatile Flow.Subscription subscription;
    private String eventType = "";

    /** Reads the body as it comes, line by line (LF or CRLF), until closed. */
    private SseConsumer(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        this.response = response;
        response.body().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                buffers.forEach(SseConsumer.this::bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                ended.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        });
    }

    private void bytes(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                byte[] line = pending.toByteArray();
                int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                pending.reset();
                line(new String(line, 0, length, StandardCharsets.UTF_8));
            } else {
                pending.write(b);
            }
        }
    }

    /**
     * Opens the stream and waits for the response headers, which come at once even when the source
     * is quiet: within {@link #HEADERS_WITHIN}, not with the first heartbeat.
     */
    public static SseConsumer open(URI uri, String token) {
        try {
            return new SseConsumer(HttpClient.newHttpClient()
                    .sendAsync(request(uri, token), HttpResponse.BodyHandlers.ofPublisher())
                    .get(HEADERS_WITHIN.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            throw new AssertionError("no response headers from " + uri + " within " + HEADERS_WITHIN, e);
        }
    }

    /** A request that is expected to be answered at once rather than streamed (an error). */
    static Answer answer(URI uri, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(request(uri, token), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    private static HttpRequest request(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        return request.GET().build();
    }

    HttpResponse<?> response() {
        return response;
    }

    /** The log envelopes received from {@code sourceId}, in order of arrival. */
    List<LogLine> logs(String sourceId) {
        return envelopes.stream()
                .filter(e -> e.path("source_id").asString().equals(sourceId) && e.has("log"))
                .map(SseConsumer::logLine)
                .toList();
    }

    static LogLine logLine(JsonNode envelope) {
        JsonNode log = envelope.path("log");
        return new LogLine(
                envelope.path("source_id").asString(),
                envelope.path("instance_id").asString(),
                Long.parseLong(envelope.path("timestamp").asString()),
                envelope.path("tags").path("source_type").asString(),
                log.path("type").asString(),
                new String(Base64.getDecoder().decode(log.path("payload").asString()), StandardCharsets.UTF_8));
    }

    private void line(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("event:")) {
            eventType = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
            String data = line.substring(5);
            dataLines.add(data.startsWith(" ") ? data.substring(1) : data);
        }
    }

    private void dispatch() {
        if (dataLines.isEmpty() && eventType.isEmpty()) {
            return;
        }
        if (eventType.isEmpty()) {
            JsonNode batch = JSON.readTree(String.join("\n", dataLines)).path("batch");
            batch.forEach(envelopes::add);
        } else if (!eventType.equals("heartbeat")) {
            events.add(new NamedEvent(eventType, String.join("\n", dataLines)));
        }
        eventType = "";
        dataLines.clear();
    }

    @Override
    public void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
