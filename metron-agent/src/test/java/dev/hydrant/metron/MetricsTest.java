package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's metrics are on its Prometheus endpoint and travel to Doppler as its own envelopes. */
class MetricsTest {

    @TempDir
    Path dir;

    @Test
    void prometheusShowsTheCountsAndSelfMetricEnvelopesReachTheDoppler() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.metrics-interval", "300ms",
                     "hydrant.metron.instance-id", "cell-7",
                     "hydrant.metron.deployment", "cf"));
             Emitter emitter = metron.emitter()) {
            emitter.send(logs("app-metrics", "line", 0, 42));
            await().atMost(WAIT).until(() -> doppler.from("app-metrics").size() == 42);

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metron.httpPort() + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("ingress_total", "egress_total", "dropped_total{direction=\"ingress\"}",
                    "dropped_total{direction=\"egress\"}", "buffer_fill", "doppler_connections");

            await().atMost(WAIT).until(() -> doppler.from("metron").stream()
                    .anyMatch(e -> e.hasCounter() && e.getCounter().getName().equals("ingress") && e.getCounter().getTotal() >= 42));
            Envelope selfMetric = doppler.from("metron").stream()
                    .filter(e -> e.hasCounter() && e.getCounter().getName().equals("ingress")).findFirst().orElseThrow();
            assertThat(selfMetric.getInstanceId()).isEqualTo("cell-7");
            assertThat(selfMetric.getTagsMap()).containsEntry("origin", "loggregator.metron").containsEntry("deployment", "cf");
            assertThat(doppler.from("metron")).anyMatch(e -> e.hasCounter() && e.getCounter().getName().equals("dropped")
                    && "ingress".equals(e.getTagsMap().get("direction")));
            assertThat(doppler.from("metron")).anyMatch(e -> e.hasGauge() && e.getGauge().containsMetrics("doppler.connections"));
        }
    }
}
