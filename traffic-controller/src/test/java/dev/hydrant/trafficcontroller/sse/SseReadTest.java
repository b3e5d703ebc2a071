package dev.hydrant.trafficcontroller.sse;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** An RLP-gateway style client: java.net.http reading text/event-stream, JSON parsed with Jackson. */
class SseReadTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.sse-heartbeat", "500ms",
                // long enough for the steps before it on a busy machine; the test waits for it
                "hydrant.traffic-controller.sse-stream-timeout", "10s"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    record Event(String name, String data) {
    }

    /** Reads the stream on a background thread into events. */
    static final class Stream2 {
        final HttpResponse<Stream<String>> response;
        final List<Event> events = new CopyOnWriteArrayList<>();
        volatile boolean ended;

        Stream2(String query, String token) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tc.httpPort() + "/v2/read" + query));
            if (token != null) {
                request.header("Authorization", "bearer " + token);
            }
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            Thread reader = new Thread(() -> {
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line : (Iterable<String>) response.body()::iterator) {
                    if (line.isEmpty()) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
                ended = true;
            });
            reader.setDaemon(true);
            reader.start();
        }

        List<Event> named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }
    }

    private static HttpResponse<String> get(String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tc.httpPort() + "/v2/read" + query));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stream_hasTheHeaders_sendsBatchesAsProto3Json_heartbeatsAndClosesAtTheTimeout() throws Exception {
        Stream2 stream = new Stream2("?source_id=app-a&log", tc.issuer.reader("app-a"));
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(stream.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(stream.response.headers().firstValue("Connection")).hasValue("keep-alive");

        await().atMost(Duration.ofSeconds(30)).until(() -> tc.dopplerSubscriptions() == 1);
        tc.dopplers.get(0).emit(List.of(log("app-a", "hello sse", 1_700_000_000_000_000_001L), log("app-b", "other", 2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !stream.named("message").isEmpty());

        JsonNode batch = JSON.readTree(stream.named("message").get(0).data()).get("batch");
        assertThat(batch.size()).isEqualTo(1);
        JsonNode envelope = batch.get(0);
        assertThat(envelope.get("source_id").asString()).isEqualTo("app-a");
        assertThat(envelope.get("timestamp").isString()).isTrue();
        assertThat(envelope.get("timestamp").asString()).isEqualTo("1700000000000000001");
        assertThat(new String(Base64.getDecoder().decode(envelope.get("log").get("payload").asString()),
                StandardCharsets.UTF_8)).isEqualTo("hello sse");
        assertThat(envelope.get("log").get("type").asString()).isEqualTo("OUT");

        await().atMost(Duration.ofSeconds(30)).until(() -> !stream.named("heartbeat").isEmpty());
        long seconds = Long.parseLong(stream.named("heartbeat").get(0).data());
        assertThat(seconds).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));

        await().atMost(Duration.ofSeconds(30)).until(() -> stream.ended);
        List<Event> events = new ArrayList<>(stream.events);
        assertThat(events.get(events.size() - 1)).isEqualTo(new Event("closing", "closing due to stream timeout"));
        await().atMost(Duration.ofSeconds(30)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void badQueries_answer400WithTheDocumentedErrors() throws Exception {
        String admin = tc.issuer.admin();
        assertError(get("", admin), 400, "empty_query");
        assertError(get("?source_id=app-a", admin), 400, "missing_envelope_type");
        assertError(get("?counter.name=", admin), 400, "missing_counter_name");
        assertError(get("?gauge.name=", admin), 400, "missing_gauge_name");
        assertError(get("?log&shard_id=" + "s".repeat(257), admin), 400, "invalid_shard_id");
        // 129 characters, 258 bytes in UTF-8
        assertError(get("?log&deterministic_name=" + "%C3%A9".repeat(129), admin), 400, "invalid_deterministic_name");
        StringBuilder many = new StringBuilder("?log");
        for (int i = 0; i <= 100; i++) {
            many.append("&source_id=source-").append(i);
        }
        assertError(get(many.toString(), admin), 400, "too_many_selectors");
        assertThat(tc.dopplerSubscriptions()).isZero();
    }

    @Test
    void authFailures_answer404NotFound_andNeverReachADoppler() throws Exception {
        assertError(get("?source_id=app-a&log", null), 404, "not_found");
        assertError(get("?source_id=app-a&log", "garbage"), 404, "not_found");
        assertError(get("?source_id=app-a&log", tc.issuer.forgedAdmin()), 404, "not_found");
        assertError(get("?source_id=app-a&log", tc.issuer.expiredAdmin()), 404, "not_found");
        assertError(get("?source_id=app-a&log", tc.issuer.adminIssuedTomorrow()), 404, "not_found");
        assertError(get("?source_id=app-b&log", tc.issuer.reader("app-a")), 404, "not_found");
        assertError(get("?log", tc.issuer.reader("app-a")), 404, "not_found");
        assertThat(tc.dopplerSubscriptions()).isZero();
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asString()).isEqualTo(error);
        assertThat(body.get("message").asString()).isNotBlank();
    }
}
