package dev.hydrant.trafficcontroller.recent;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.http.MultipartBody;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Dopplers that stop one after the other: while one is left the reads (recent logs, the Log
 * Cache style read and meta) answer what it holds and say they are partial; with none left they
 * answer 503 with a reason, never an empty 200.
 */
class DeadDopplersTest {

    @TempDir
    Path dir;
    TrafficControllerRunner tc;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 2, Map.of("hydrant.traffic-controller.recent-logs-deadline", "5s"));
        tc.dopplers.get(0).cache(List.of(log("app", "first", 1_000L)));
        tc.dopplers.get(1).cache(List.of(log("app", "second", 2_000L)));
    }

    @AfterEach
    void stop() {
        tc.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort() + path))
                .header("Authorization", "bearer " + tc.issuer.reader("app"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> lines(HttpResponse<byte[]> response) {
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        return MultipartBody.envelopes(response.body(), MultipartBody.boundary(contentType)).stream()
                .map(e -> e.getLogMessage().getMessage().toStringUtf8()).toList();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void oneDeadDoppler_givesAPartialAnswerThatSaysSo_andAllDead_give503() throws Exception {
        HttpResponse<byte[]> whole = get("/apps/app/recentlogs");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(lines(whole)).containsExactly("first", "second");
        assertThat(whole.headers().firstValue(RecentRead.PARTIAL_HEADER)).isEmpty();

        tc.dopplers.get(1).close();
        HttpResponse<byte[]> partial = get("/apps/app/recentlogs");
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(lines(partial)).containsExactly("first");
        assertThat(partial.headers().firstValue(RecentRead.PARTIAL_HEADER)).hasValue("1/2");
        HttpResponse<byte[]> partialRead = get("/api/v1/read/app");
        assertThat(partialRead.statusCode()).isEqualTo(200);
        assertThat(text(partialRead)).contains("\"timestamp\":\"1000\"").doesNotContain("\"timestamp\":\"2000\"");
        assertThat(partialRead.headers().firstValue(RecentRead.PARTIAL_HEADER)).hasValue("1/2");
        HttpResponse<byte[]> partialMeta = get("/api/v1/meta");
        assertThat(partialMeta.statusCode()).isEqualTo(200);
        assertThat(text(partialMeta)).contains("\"app\"");
        assertThat(partialMeta.headers().firstValue(RecentRead.PARTIAL_HEADER)).hasValue("1/2");
        assertThat(tc.counter("recent_logs.doppler_misses")).isEqualTo(3);

        tc.dopplers.get(0).close();
        HttpResponse<byte[]> none = get("/apps/app/recentlogs");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text(none)).isEqualTo("recent envelopes are unavailable: none of the 2 Dopplers answered; try again");
        HttpResponse<byte[]> noMetrics = get("/apps/app/containermetrics");
        assertThat(noMetrics.statusCode()).isEqualTo(503);
        HttpResponse<byte[]> noRead = get("/api/v1/read/app");
        assertThat(noRead.statusCode()).isEqualTo(503);
        assertThat(text(noRead)).startsWith("{\"error\":\"unavailable\",\"message\":\"recent envelopes are unavailable");
        HttpResponse<byte[]> noMeta = get("/api/v1/meta");
        assertThat(noMeta.statusCode()).isEqualTo(503);
        assertThat(text(noMeta)).startsWith("{\"error\":\"unavailable\"");
        assertThat(tc.counter("rejected_requests", "reason", "unavailable")).isEqualTo(4);
        assertThat(tc.counter("recent_logs.doppler_misses")).isEqualTo(3 + 8);
    }
}
