package dev.hydrant.nozzles.elasticsearch.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzles.elasticsearch.bulk.BulkMetrics;
import dev.hydrant.nozzles.elasticsearch.bulk.BulkSink;
import dev.hydrant.nozzles.elasticsearch.bulk.DocumentWriter;
import dev.hydrant.nozzles.elasticsearch.bulk.IndexTarget;
import dev.hydrant.nozzles.elasticsearch.config.ElasticsearchProperties.IndexMode;
import dev.hydrant.nozzles.elasticsearch.http.ClusterClient;
import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import dev.hydrant.nozzles.elasticsearch.template.IndexTemplate;
import dev.hydrant.nozzles.elasticsearch.template.TemplateInstaller;
import dev.hydrant.testsupport.opensearch.OpenSearchNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Documents per second into one OpenSearch node: the nozzle (the SDK's runtime and buffer, envelopes encoded by
 * the sink, bulks of batch-size / concurrency sent concurrently) against a plain {@code _bulk} loader of the
 * same documents, already encoded, with the same bulk size and concurrency, rounds alternated in one run after
 * a warm-up round of each.
 * Not run by {@code verify} (tag {@code benchmark}); run it with
 * {@code ./mvnw -B -ntp -pl nozzles/elasticsearch -am verify -Dsurefire.failIfNoSpecifiedTests=false
 * -Dexcluded.groups=none -Dtest=BulkThroughputBenchmark}. Prints its figures and writes them to
 * {@code target/benchmark-elasticsearch.txt}.
 */
@Tag("benchmark")
class BulkThroughputBenchmark {

    private static final int DOCUMENTS = Integer.getInteger("bench.documents", 200_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final int BATCH = 1000;
    private static final int CONCURRENCY = 2;
    private static final String PAYLOAD = "x".repeat(60);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void nozzleAgainstAPlainBulkLoader() throws Exception {
        OpenSearchNode node = OpenSearchNode.shared();
        List<Envelope> envelopes = new ArrayList<>(DOCUMENTS);
        long start = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < DOCUMENTS; i++) {
            envelopes.add(Envelope.newBuilder().setSourceId("app-" + (i % 10)).setInstanceId(Integer.toString(i % 4))
                    .setTimestamp(start + i).putTags("source_type", "APP/PROC/WEB").putTags("origin", "rep")
                    .putTags("deployment", "cf").setLog(Log.newBuilder().setType(Log.Type.OUT)
                            .setPayload(ByteString.copyFromUtf8("GET /v2/items/" + i + " 200 " + PAYLOAD)))
                    .build());
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("documents per round %d, bulk %d documents x %d concurrent, load average at start %s%n",
                DOCUMENTS, BATCH / CONCURRENCY, CONCURRENCY, Files.readString(Path.of("/proc/loadavg")).strip()));
        // warm-up, not counted: the node's and this JVM's JIT, the first data streams
        baseline(node, envelopes.subList(0, DOCUMENTS / 4), "bench-warmup-base");
        nozzle(node, envelopes.subList(0, DOCUMENTS / 4), "bench-warmup-nozzle");
        double baseTotal = 0;
        double nozzleTotal = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            // the order alternates, so that neither side always follows the other's background merges
            double base;
            double nozzle;
            if (round % 2 == 1) {
                base = baseline(node, envelopes, "bench-base-" + round);
                nozzle = nozzle(node, envelopes, "bench-nozzle-" + round);
            } else {
                nozzle = nozzle(node, envelopes, "bench-nozzle-" + round);
                base = baseline(node, envelopes, "bench-base-" + round);
            }
            baseTotal += base;
            nozzleTotal += nozzle;
            report.append(String.format("round %d (%s first): plain _bulk %.0f docs/s, nozzle %.0f docs/s, nozzle/plain %.1f %%, load average %s%n",
                    round, round % 2 == 1 ? "plain" : "nozzle", base, nozzle, 100 * nozzle / base,
                    Files.readString(Path.of("/proc/loadavg")).strip()));
        }
        report.append(String.format("mean: plain _bulk %.0f docs/s, nozzle %.0f docs/s, nozzle/plain %.1f %%; load average at end %s%n",
                baseTotal / ROUNDS, nozzleTotal / ROUNDS, 100 * nozzleTotal / baseTotal,
                Files.readString(Path.of("/proc/loadavg")).strip()));
        System.out.print(report);
        Files.writeString(Path.of("target/benchmark-elasticsearch.txt"), report);
    }

    private static ClusterClient client(OpenSearchNode node) {
        return new ClusterClient(node.url(), null, null, Duration.ofSeconds(5), Duration.ofSeconds(120));
    }

    private static TemplateInstaller template(ClusterClient client, ClusterStatus status, IndexTarget target) {
        TemplateInstaller template = new TemplateInstaller(client, status, target.patterns().get(0),
                IndexTemplate.body(target, 200, 1, 0));
        assertThat(template.ensureInstalled()).as(status.lastError()).isTrue();
        return template;
    }

    /** The same documents, encoded before the clock starts, sent as the nozzle sends them: 2 bulks of 500 at once. */
    private static double baseline(OpenSearchNode node, List<Envelope> envelopes, String stream) throws Exception {
        try (ClusterClient client = client(node)) {
            IndexTarget target = new IndexTarget(IndexMode.DATA_STREAM, stream);
            template(client, new ClusterStatus(stream), target);
            DocumentWriter writer = new DocumentWriter(target);
            List<byte[]> bodies = new ArrayList<>();
            int per = BATCH / CONCURRENCY;
            for (int i = 0; i < envelopes.size(); i += per) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (Envelope envelope : envelopes.subList(i, Math.min(envelopes.size(), i + per))) {
                    body.writeBytes(writer.item(envelope, 0));
                }
                bodies.add(body.toByteArray());
            }
            long begin = System.nanoTime();
            for (int i = 0; i < bodies.size(); i += CONCURRENCY) {
                List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
                for (byte[] body : bodies.subList(i, Math.min(bodies.size(), i + CONCURRENCY))) {
                    answers.add(client.bulk(body));
                }
                for (CompletableFuture<HttpResponse<byte[]>> answer : answers) {
                    HttpResponse<byte[]> response = answer.join();
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(new String(response.body(), 0, 20)).startsWith("{\"errors\":false");
                }
            }
            return envelopes.size() / ((System.nanoTime() - begin) / 1e9);
        }
    }

    /** The nozzle's runtime and sink, fed as fast as its buffer has room (so that nothing is dropped). */
    private static double nozzle(OpenSearchNode node, List<Envelope> envelopes, String stream) throws Exception {
        try (ClusterClient client = client(node)) {
            IndexTarget target = new IndexTarget(IndexMode.DATA_STREAM, stream);
            ClusterStatus status = new ClusterStatus(stream);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            BulkMetrics metrics = new BulkMetrics(registry);
            BulkSink sink = new BulkSink(client, status, template(client, status, target), new DocumentWriter(target),
                    metrics, CONCURRENCY, 5, Duration.ofMillis(100), Duration.ofSeconds(5));
            Sinks.Many<List<Envelope>> feed = Sinks.many().unicast().onBackpressureBuffer();
            NozzleRuntime runtime = NozzleRuntime.builder(sink).name("bench").batchSize(BATCH)
                    .batchInterval(Duration.ofMillis(200)).bufferSize(50_000).meterRegistry(registry).build();
            long begin = System.nanoTime();
            runtime.start(feed.asFlux());
            for (int i = 0; i < envelopes.size(); i += 100) {
                while (runtime.health().buffered() > 40_000) {
                    LockSupport.parkNanos(1_000_000);
                }
                feed.tryEmitNext(envelopes.subList(i, Math.min(envelopes.size(), i + 100))).orThrow();
            }
            while (runtime.health().written() + runtime.dropped() < envelopes.size()) {
                LockSupport.parkNanos(1_000_000);
            }
            double rate = envelopes.size() / ((System.nanoTime() - begin) / 1e9);
            runtime.close();
            assertThat(runtime.dropped()).isZero();
            assertThat(registry.get(BulkMetrics.INDEXED).counter().count()).isEqualTo(envelopes.size());
            return rate;
        }
    }
}
