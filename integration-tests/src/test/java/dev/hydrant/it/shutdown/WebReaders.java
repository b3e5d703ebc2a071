package dev.hydrant.it.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.trafficcontroller.SseConsumer;
import dev.hydrant.testsupport.websocket.V1Client;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A v1 websocket firehose consumer and an SSE {@code /v2/read} reader of one Traffic Controller
 * process (auth disabled), connected and counted by the Traffic Controller's own gauges before the
 * test goes on: a stop sent afterwards finds both streams open.
 */
final class WebReaders implements AutoCloseable {

    /** Boot's line for each HTTP server: the public one and management's ({@code /actuator}). */
    private static final Pattern NETTY_PORT = Pattern.compile("Netty started on port (\\d+)");

    final V1Client firehose;
    final SseConsumer sse;

    private WebReaders(V1Client firehose, SseConsumer sse) {
        this.firehose = firehose;
        this.sse = sse;
    }

    static WebReaders connect(ChildComponent trafficController, Duration patience) {
        await().atMost(patience).untilAsserted(() -> assertThat(trafficController.allLogged(NETTY_PORT))
                .as("%s's HTTP ports; its log:%n%s", trafficController.name(), trafficController.tail()).hasSize(2));
        List<Integer> ports = trafficController.allLogged(NETTY_PORT);
        int management = ports.stream().filter(WebReaders::servesPrometheus).findFirst().orElseThrow();
        int api = ports.stream().filter(port -> port != management).findFirst().orElseThrow();
        String base = "127.0.0.1:" + api;
        WebReaders readers = new WebReaders(V1Client.connect(URI.create("ws://" + base + "/firehose/shutdown-test"), null),
                SseConsumer.open(URI.create("http://" + base + "/v2/read?source_id=app&log"), null));
        await().atMost(patience).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String metrics = get(management, "/actuator/prometheus").body();
            assertThat(gauge(metrics, "doppler_proxy_firehoses")).as("open firehoses").isEqualTo(1);
            assertThat(gauge(metrics, "sse_streams")).as("open SSE streams").isEqualTo(1);
        });
        return readers;
    }

    private static boolean servesPrometheus(int port) {
        try {
            return get(port, "/actuator/prometheus").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int gauge(String prometheus, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(prometheus);
        return value.find() ? (int) Double.parseDouble(value.group(1)) : -1;
    }

    @Override
    public void close() {
        firehose.close();
        sse.close();
    }
}
