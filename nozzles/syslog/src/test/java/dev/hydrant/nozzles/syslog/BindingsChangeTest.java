package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.nozzles.syslog.servers.SyslogReceiver;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bindings created and deleted while the nozzle runs take effect without a restart; the bindings are read with
 * the nozzle's admin token; the drain's meters reach Prometheus and go with it; the health shows the drains.
 */
class BindingsChangeTest {

    @Test
    void aBindingCreatedThenDeleted_startsAndStopsItsDrainWithoutARestart() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver();
             FakeTrafficController firehose = new FakeTrafficController().start();
             BindingsServer bindings = new BindingsServer();
             NozzleRunner nozzle = new NozzleRunner(firehose, bindings, Map.of())) {
            await("the bindings read").atMost(Patience.WAIT).until(() -> !bindings.requests().isEmpty());
            assertThat(bindings.requests()).allMatch(r -> r.equals("/v1/drains?include_secrets=true | bearer admin-token"));
            nozzle.awaitDrains(0);

            bindings.bind("d-1", "app-1", "syslog://localhost:" + receiver.port() + "/");
            nozzle.awaitDrains(1);
            firehose.publish(Envelopes.log("app-1", "after binding"));
            await().atMost(Patience.WAIT).until(() -> receiver.messages().size() == 1);
            assertThat(receiver.messages().get(0)).endsWith(" app-1 [APP/PROC/WEB/0] - [tags@47450 source_type=\"APP/PROC/WEB\"] after binding\n");

            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nozzle.port()
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("syslog_drain_written_total{drain=\"d-1\"} 1.0", "syslog_drains_bound 1.0");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nozzle.port()
                    + "/actuator/health/drains")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"drainsBound\":1");

            bindings.unbind("d-1");
            nozzle.awaitDrains(0);
            assertThat(nozzle.registry().find(DrainMetrics.WRITTEN).tag("drain", "d-1").counter()).isNull();
            assertThat(nozzle.registry().get(DrainMetrics.BOUND).gauge().value()).isZero();
        }
    }
}
