package dev.hydrant.metron.scrape;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A target that fails, recovers and fails again: every failed scrape counted, each outage logged once at each end. */
@ExtendWith(OutputCaptureExtension.class)
class ScrapeOutageTest {

    @TempDir
    Path dir;

    @Test
    void eachOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds_everyFailureIsCounted(CapturedOutput output)
            throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("500");
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            requests.incrementAndGet();
            String mode = answer.get();
            byte[] body = (mode.equals("ok") ? "# TYPE up gauge\nup 1\n" : mode.equals("garbage") ? "up{ 1\n" : "")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(mode.equals("500") ? 500 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.scrape.targets[0].url", "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics",
                     "hydrant.metron.scrape.targets[0].source-id", "flaky",
                     "hydrant.metron.scrape.targets[0].interval", "100ms"))) {
            await().atMost(WAIT).until(() -> failures(metron) >= 3);

            answer.set("ok");
            await().atMost(WAIT).until(() -> !doppler.from("flaky").isEmpty());
            double failedBefore = failures(metron);
            int seen = requests.get();
            await().atMost(WAIT).until(() -> requests.get() >= seen + 3);
            assertThat(failures(metron)).isEqualTo(failedBefore);

            answer.set("garbage");
            await().atMost(WAIT).until(() -> failures(metron) >= failedBefore + 3);
        } finally {
            server.stop(0);
        }
        assertThat(output.getAll().lines().filter(l -> l.contains("source id flaky failed"))).hasSize(2);
        assertThat(output.getAll()).contains("answered HTTP 500", "not the Prometheus text format: line 1:");
        assertThat(output.getAll().lines().filter(l -> l.contains("source id flaky works again"))).hasSize(1);
    }

    private static double failures(RunningMetron metron) {
        return metron.registry().get("scrape.failures").tag("source_id", "flaky").counter().count();
    }
}
