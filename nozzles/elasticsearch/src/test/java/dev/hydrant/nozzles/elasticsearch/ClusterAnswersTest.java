package dev.hydrant.nozzles.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.elasticsearch.bulk.BulkMetrics;
import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import dev.hydrant.nozzles.elasticsearch.servers.FakeCluster;
import dev.hydrant.nozzles.elasticsearch.servers.NozzleRunner;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The answers a single real node does not give on demand, from a {@link FakeCluster} over real sockets and
 * TLS: item-level 429s, refused credentials, a certificate from a private CA.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterAnswersTest {

    private static Envelope[] logs(String sourceId, int n) {
        return Envelopes.logs(sourceId, "line", 0, n).toArray(Envelope[]::new);
    }

    @Test
    void itemsRefusedWithA429_areSentAgain_andEveryDocumentIsIndexedOnce() throws Exception {
        try (FakeCluster cluster = FakeCluster.http(null, 3);
             FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = new NozzleRunner(firehose, cluster.url(), Map.of(
                     "hydrant.nozzle.elasticsearch.concurrency", "2"))) {
            firehose.publish(logs("app-429", 200));
            await("every document accepted").atMost(Patience.WAIT)
                    .until(() -> nozzle.metric(BulkMetrics.INDEXED) == 200);
            assertThat(cluster.accepted()).hasSize(200);
            assertThat(new HashSet<>(cluster.accepted())).as("no document twice").hasSize(200);
            assertThat(nozzle.metric(BulkMetrics.RETRIED)).isPositive();
            assertThat(nozzle.metric(BulkMetrics.FAILED)).isZero();
            assertThat(nozzle.metric(BulkMetrics.REJECTED)).isZero();
            assertThat(nozzle.metric("nozzle.written")).isEqualTo(200);
            assertThat(nozzle.metric(BulkMetrics.IN_FLIGHT)).isZero();
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("UP");
        }
    }

    @Test
    void refusedCredentials_areOneClearError_andHealthDown_whileBatchesWait(CapturedOutput output) throws Exception {
        try (FakeCluster cluster = FakeCluster.http("ApiKey right-key", 0);
             FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = new NozzleRunner(firehose, cluster.url(), Map.of(
                     "hydrant.nozzle.elasticsearch.api-key", "wrong-key"))) {
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("DOWN");
            firehose.publish(logs("app-401", 10));
            await("the sink tried several times").atMost(Patience.WAIT)
                    .until(() -> nozzle.metric("nozzle.sink.errors") >= 3);
            assertThat(cluster.authorizations()).hasSizeGreaterThanOrEqualTo(4).allMatch("ApiKey wrong-key"::equals);
            assertThat(cluster.bulks()).as("nothing is sent before the template is in").isZero();
            assertThat(nozzle.bean(ClusterStatus.class).lastError()).contains("refused the credentials (401)");
            assertThat(output.getOut().lines().filter(line -> line.contains(" ERROR ")
                    && line.contains("refused the credentials (401)"))).hasSize(1);
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("DOWN");
            assertThat(output.getOut()).doesNotContain("wrong-key");
        }
    }

    @Test
    void aClusterWithACertificateFromItsOwnCa_isTrustedThroughCaFile_withBasicAuthentication(@TempDir Path dir)
            throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("cluster-ca");
        Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("hydrant:s3cret".getBytes(StandardCharsets.UTF_8));
        try (FakeCluster cluster = FakeCluster.https(ca, basic);
             FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = new NozzleRunner(firehose, cluster.url(), Map.of(
                     "hydrant.nozzle.elasticsearch.ca-file", caFile.toString(),
                     "hydrant.nozzle.elasticsearch.username", "hydrant",
                     "hydrant.nozzle.elasticsearch.password", "s3cret"))) {
            firehose.publish(logs("app-tls", 20));
            await("every document accepted").atMost(Patience.WAIT).until(() -> cluster.accepted().size() == 20);
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("UP");
        }
    }

    @Test
    void withoutTheCa_theTlsFailureSaysWhatToSet_andHealthIsDown(CapturedOutput output) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("cluster-ca");
        try (FakeCluster cluster = FakeCluster.https(ca, null);
             FakeTrafficController firehose = new FakeTrafficController().start();
             NozzleRunner nozzle = new NozzleRunner(firehose, cluster.url(), Map.of())) {
            firehose.publish(logs("app-untrusted", 5));
            await("the sink tried several times").atMost(Patience.WAIT)
                    .until(() -> nozzle.metric("nozzle.sink.errors") >= 2);
            assertThat(nozzle.health("elasticsearchHealthIndicator").getCode()).isEqualTo("DOWN");
            assertThat(nozzle.bean(ClusterStatus.class).lastError()).contains("TLS handshake failed").contains("ca-file");
            assertThat(output.getOut().lines().filter(line -> line.contains(" ERROR ")
                    && line.contains("TLS handshake failed"))).hasSize(1);
            assertThat(cluster.accepted()).isEmpty();
        }
    }
}
