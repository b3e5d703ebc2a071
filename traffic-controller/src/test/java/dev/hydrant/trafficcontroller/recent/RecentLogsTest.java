package dev.hydrant.trafficcontroller.recent;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.counter;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.http.MultipartBody;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Three Dopplers, the third of which never answers reads: it is left out when the recent-logs
 * deadline (3 s here, time for the other two to answer on a busy machine) passes, and the answer
 * says it is partial. The Dopplers answer one envelope per piece.
 */
class RecentLogsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** The deadline and room for a busy machine; without the deadline the request would hang. */
    private static final Duration ANSWER_WITHIN = DEADLINE.plusSeconds(10);

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 3,
                Map.of("hydrant.traffic-controller.recent-logs-deadline", DEADLINE.toMillis() + "ms"));
        // logs of app-a spread over the Dopplers, interleaved in time
        for (int i = 1; i <= 30; i++) {
            tc.dopplers.get(i % 2).cache(List.of(log("app-a", "line-" + i, i * 1000L)));
        }
        tc.dopplers.get(0).cache(List.of(log("app-b", "secret", 5), counter("app-a", "c", 1, 31_000L)));
        tc.dopplers.get(2).cache(List.of(log("app-a", "never seen", 99_000L)));
        tc.dopplers.get(2).hangReads();
        // one envelope as large as an ingress batch may carry, and lines after it on another Doppler
        tc.dopplers.get(0).cache(List.of(largestIngressEnvelope("app-big", 1_000L)));
        tc.dopplers.get(1).cache(List.of(log("app-big", "after-1", 2_000L), log("app-big", "after-2", 3_000L)));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    /** A log envelope whose ingress batch is exactly the gRPC message limit, so its piece is a little over it. */
    static Envelope largestIngressEnvelope(String sourceId, long timestamp) {
        Envelope small = log(sourceId, "", timestamp);
        int payload = GrpcTransport.MAX_MESSAGE_BYTES - 64;
        Envelope large = withPayload(small, payload);
        payload += GrpcTransport.MAX_MESSAGE_BYTES - EnvelopeBatch.newBuilder().addBatch(large).build().getSerializedSize();
        large = withPayload(small, payload);
        assertThat(EnvelopeBatch.newBuilder().addBatch(large).build().getSerializedSize())
                .isEqualTo(GrpcTransport.MAX_MESSAGE_BYTES);
        return large;
    }

    private static Envelope withPayload(Envelope envelope, int bytes) {
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) 'x');
        return envelope.toBuilder().setLog(envelope.getLog().toBuilder().setPayload(ByteString.copyFrom(payload)))
                .build();
    }

    private static HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort() + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void recentLogs_answerTheLastNInTimeOrder_withinTheDeadline_despiteAHangingDoppler() throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = get("/apps/app-a/recentlogs?limit=10", tc.issuer.reader("app-a"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(millis).as("answered in %d ms", millis).isLessThan(ANSWER_WITHIN.toMillis());
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        assertThat(contentType).startsWith("multipart/x-protobuf").contains("boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);

        List<EventFactory.Envelope> parts = MultipartBody.envelopes(response.body(), boundary);
        assertThat(parts).extracting(e -> e.getLogMessage().getMessage().toStringUtf8())
                .containsExactly("line-21", "line-22", "line-23", "line-24", "line-25", "line-26", "line-27",
                        "line-28", "line-29", "line-30");
        assertThat(tc.counter("recent_logs.doppler_misses")).isGreaterThanOrEqualTo(1);
        assertThat(response.headers().firstValue(RecentRead.PARTIAL_HEADER)).hasValue("1/3");
    }

    @Test
    void anEnvelopeAsLargeAsIngressTakes_isAnsweredWithTheLinesAfterIt_byBothReads() throws Exception {
        String token = tc.issuer.reader("app-big");
        HttpResponse<byte[]> recent = get("/apps/app-big/recentlogs", token);
        assertThat(recent.statusCode()).isEqualTo(200);
        String contentType = recent.headers().firstValue("Content-Type").orElseThrow();
        List<EventFactory.Envelope> parts = MultipartBody.envelopes(recent.body(), MultipartBody.boundary(contentType));
        assertThat(parts).extracting(e -> e.getLogMessage().getMessage().size())
                .containsExactly(largestIngressEnvelope("app-big", 1_000L).getLog().getPayload().size(), 7, 7);
        assertThat(parts.subList(1, 3)).extracting(e -> e.getLogMessage().getMessage().toStringUtf8())
                .containsExactly("after-1", "after-2");

        HttpResponse<byte[]> read = get("/api/v1/read/app-big?limit=10", token);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode batch = new ObjectMapper().readTree(new String(read.body(), StandardCharsets.UTF_8))
                .get("envelopes").get("batch");
        List<String> timestamps = new ArrayList<>();
        batch.forEach(e -> timestamps.add(e.get("timestamp").asString()));
        assertThat(timestamps).containsExactly("1000", "2000", "3000");
        assertThat(read.headers().firstValue(RecentRead.PARTIAL_HEADER)).hasValue("1/3");
    }

    @Test
    void aBearerWithoutAToken_isNoToken_andAnswers401() throws Exception {
        HttpRequest bare = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort() + "/apps/app-a/recentlogs"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "bearer ")
                .build();
        assertThat(HTTP.send(bare, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(401);
        // %E3%80%80 is U+3000, a space String.trim() keeps: it once passed as a token and answered 404
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort() + "/apps/app-a/recentlogs"))
                .timeout(Duration.ofSeconds(60))
                .header("Cookie", "authorization=bearer%20%E3%80%80")
                .build();
        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(401);
    }

    @Test
    void recentLogs_ofAnotherApp_is404() throws Exception {
        assertThat(get("/apps/app-b/recentlogs", tc.issuer.reader("app-a")).statusCode()).isEqualTo(404);
        assertThat(get("/apps/app-b/recentlogs", null).statusCode()).isEqualTo(401);
    }

    @Test
    void logCacheRead_answersEnvelopesJson_filteredByTypeAndTime() throws Exception {
        HttpResponse<byte[]> response = get("/api/v1/read/app-a?envelope_types=LOG&start_time=5000&end_time=8000",
                tc.issuer.reader("app-a"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode batch = new ObjectMapper().readTree(new String(response.body(), StandardCharsets.UTF_8))
                .get("envelopes").get("batch");
        List<String> timestamps = new ArrayList<>();
        batch.forEach(e -> timestamps.add(e.get("timestamp").asString()));
        assertThat(timestamps).containsExactly("5000", "6000", "7000");
        assertThat(batch.get(0).get("source_id").asString()).isEqualTo("app-a");
    }

    @Test
    void logCacheRead_aDescendingOtherThanTrueOrFalse_orANameFilter_answer400() throws Exception {
        String reader = tc.issuer.reader("app-a");
        HttpResponse<byte[]> descending = get("/api/v1/read/app-a?descending=yes", reader);
        assertThat(descending.statusCode()).isEqualTo(400);
        assertThat(new String(descending.body(), StandardCharsets.UTF_8)).contains("bad_request", "descending");
        HttpResponse<byte[]> nameFilter = get("/api/v1/read/app-a?name_filter=cpu.*", reader);
        assertThat(nameFilter.statusCode()).isEqualTo(400);
        assertThat(new String(nameFilter.body(), StandardCharsets.UTF_8)).contains("bad_request", "name_filter");
        assertThat(get("/api/v1/read/app-a?descending=TRUE", reader).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/read/app-a?descending=false", reader).statusCode()).isEqualTo(200);
    }

    @Test
    void logCacheRead_refusals_are404() throws Exception {
        assertThat(get("/api/v1/read/app-a", null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/read/app-b", tc.issuer.reader("app-a")).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/read/app-a", tc.issuer.forgedAdmin()).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/meta", null).statusCode()).isEqualTo(404);
    }

    @Test
    void meta_showsAReaderOnlyItsOwnSources() throws Exception {
        HttpResponse<byte[]> response = get("/api/v1/meta", tc.issuer.reader("app-a"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode meta = new ObjectMapper().readTree(new String(response.body(), StandardCharsets.UTF_8)).get("meta");
        assertThat(meta.has("app-a")).isTrue();
        assertThat(meta.has("app-b")).isFalse();
    }
}
