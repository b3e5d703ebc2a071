package dev.hydrant.trafficcontroller.recent;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that keeps one HTTP/1.1 connection open and mixes refusals, answered at once, with
 * reads, answered later, gets an answer to every request. Reactor Netty 1.3.7 could stop reading
 * such a connection after a request that completed at once, leaving the next request unanswered
 * for ever; CI hung on exactly that.
 */
class KeepAliveTest {

    private static final int ROUNDS = 300;
    /** An unanswered request, not a slow one: room for a busy machine. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 2, Map.of());
        tc.dopplers.get(0).cache(List.of(log("app-a", "one", 1_000L)));
        tc.dopplers.get(1).cache(List.of(log("app-a", "two", 2_000L)));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    @Test
    void everyRequestOnAKeptAliveConnectionIsAnswered_refusalsAndReadsMixed() throws Exception {
        String reader = tc.issuer.reader("app-a");
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            expect(unexpected, i, "/api/v1/read/app-a", null, 404);
            expect(unexpected, i, "/apps/app-a/recentlogs", null, 401);
            expect(unexpected, i, "/api/v1/read/app-a?limit=10", reader, 200);
            expect(unexpected, i, "/apps/app-b/recentlogs", reader, 404);
        }
        assertThat(unexpected).isEmpty();
    }

    private static void expect(List<String> unexpected, int round, String path, String token, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort() + path))
                .timeout(ANSWER_WITHIN);
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        try {
            int answered = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (answered != status) {
                unexpected.add("round " + round + " " + path + ": " + answered + " instead of " + status);
            }
        } catch (HttpTimeoutException e) {
            throw new AssertionError("round " + round + " " + path + ": no answer within " + ANSWER_WITHIN
                    + (unexpected.isEmpty() ? "" : "; before that: " + unexpected), e);
        }
    }
}
