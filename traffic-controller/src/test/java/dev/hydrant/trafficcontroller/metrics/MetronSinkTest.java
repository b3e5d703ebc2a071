package dev.hydrant.trafficcontroller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.SendResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traffic Controller sends its own meters as envelopes to the Metron agent of its host, over
 * mutual TLS, so that they reach the firehose; without a Metron it goes on serving.
 */
class MetronSinkTest {

    @TempDir
    Path dir;

    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private TrafficControllerRunner tc;
    private Server metron;

    @AfterEach
    void stop() {
        if (tc != null) {
            tc.close();
        }
        if (metron != null) {
            GrpcTransport.shutdown(metron, 1000);
        }
    }

    @Test
    void itsCountersAndGaugesReachMetron_asEnvelopesOfItsOwn() throws Exception {
        // the Metron listens first, on a port of its choosing, with a certificate from the CA the
        // Traffic Controller is then started with
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles tls = ca.issueFiles(Files.createDirectories(dir.resolve("metron")), "metron");
        metron = GrpcTransport.server("127.0.0.1", 0, tls, "test.metron.tls")
                .addService(new IngressGrpc.IngressImplBase() {
                    @Override
                    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
                        received.addAll(batch.getBatchList());
                        response.onNext(SendResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        tc = new TrafficControllerRunner(dir, ca, 1, Map.of(
                "hydrant.traffic-controller.metrics.enabled", "true",
                "hydrant.traffic-controller.metrics.metron", "127.0.0.1:" + metron.getPort(),
                "hydrant.traffic-controller.metrics.interval", "200ms"));

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(e -> e.hasCounter()
                && e.getCounter().getName().equals("dropped")));
        assertThat(received).allSatisfy(e -> {
            assertThat(e.getSourceId()).isEqualTo(ProxyMetrics.SOURCE_ID);
            assertThat(e.getTagsMap()).containsEntry("origin", ProxyMetrics.ORIGIN);
        });
        assertThat(received.stream().filter(Envelope::hasCounter).map(e -> e.getCounter().getName()))
                .contains("ingress", "dropped", "doppler_proxy.slow_consumer");
        assertThat(received.stream().filter(Envelope::hasGauge).flatMap(e -> e.getGauge().getMetricsMap().keySet().stream()))
                .contains("doppler_proxy.firehoses", "sse_streams", "grpc_streams");
    }
}
