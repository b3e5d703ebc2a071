package dev.hydrant.trafficcontroller.auth;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * policy=cloud-controller: access to one app is asked of a (test) Cloud Controller at
 * {@code GET /internal/v4/log_access/{id}} with the caller's own token; 200 allows, 403 and
 * 404 refuse, and a refusal answers 404 as docs/wire.md section 4 says.
 */
class CloudControllerPolicyTest {

    /** One log-access question the Cloud Controller was asked: the app id and the Authorization header. */
    record Question(String appId, String authorization) {
    }

    @TempDir
    static Path dir;
    static HttpServer cloudController;
    static final List<Question> questions = new CopyOnWriteArrayList<>();
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        cloudController = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudController.createContext("/internal/v4/log_access/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/internal/v4/log_access/".length());
            questions.add(new Question(id, exchange.getRequestHeaders().getFirst("Authorization")));
            int status = switch (id) {
                case "allowed-app" -> 200;
                case "forbidden-app" -> 403;
                default -> 404;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        cloudController.start();
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.auth.policy", "cloud-controller",
                "hydrant.traffic-controller.auth.cloud-controller-url",
                "http://127.0.0.1:" + cloudController.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        tc.close();
        cloudController.stop(0);
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + path);
    }

    @Test
    void appTheCloudControllerAllows_isStreamed_andTheCallersOwnTokenIsWhatItWasAskedWith() {
        // a token without any source_ids claim: only the Cloud Controller can allow it
        String token = tc.issuer.reader();
        try (V1Client client = V1Client.connect(ws("/apps/allowed-app/stream"), token, true)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 1);
            tc.dopplers.get(0).emit(List.of(log("allowed-app", "hello", 1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received.size() == 1);
            assertThat(client.received.get(0).getLogMessage().getMessage().toStringUtf8()).isEqualTo("hello");
        }
        assertThat(questions).contains(new Question("allowed-app", "bearer " + token));
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void appsTheCloudControllerRefusesWith403Or404_answer404_andNeverReachADoppler() {
        String token = tc.issuer.reader("forbidden-app", "unknown-app"); // the claim does not count under this policy
        assertThat(V1Client.refusalStatus(ws("/apps/forbidden-app/stream"), token)).isEqualTo(404);
        assertThat(V1Client.refusalStatus(ws("/apps/unknown-app/stream"), token)).isEqualTo(404);
        assertThat(questions).contains(new Question("forbidden-app", "bearer " + token),
                new Question("unknown-app", "bearer " + token));
        assertThat(tc.dopplerSubscriptions()).isZero();
    }

    @Test
    void logCacheReadFollowsTheSameAnswers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = tc.issuer.reader();
        for (var expected : Map.of("allowed-app", 200, "forbidden-app", 404, "unknown-app", 404).entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort()
                            + "/api/v1/read/" + expected.getKey()))
                    .header("Authorization", "bearer " + token)
                    .timeout(Duration.ofSeconds(10)).build();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("app %s", expected.getKey()).isEqualTo(expected.getValue());
        }
    }
}
