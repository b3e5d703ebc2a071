package dev.hydrant.nozzles.kafka.bench;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzles.kafka.config.KafkaNozzleConfiguration;
import dev.hydrant.nozzles.kafka.config.KafkaSinkProperties;
import dev.hydrant.nozzles.kafka.sink.KafkaEnvelopeSink;
import dev.hydrant.nozzles.kafka.sink.KafkaSinkMetrics;
import dev.hydrant.testsupport.kafka.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Sinks;

/**
 * Envelopes per second into a local broker, three ways in the same run: a plain baseline, a bare KafkaProducer
 * sending the same keys and bytes (serialized beforehand) with the same producer settings and one flush at the
 * end; the nozzle's sink, written batches of 1,000 in a loop (serialize, send, flush, wait for every
 * acknowledgement); and the nozzle's runtime with that sink (buffer, writer thread), fed from memory. Not run by {@code verify} (tag {@code benchmark}):
 * {@code ./mvnw -B -q -pl nozzles/kafka -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=KafkaThroughputBenchmark -Dgroups=benchmark -DexcludedGroups=none}
 * ({@code -Dbench.envelopes=N}, default 2,000,000 per run; a warm-up of a tenth, then three rounds of both;
 * {@code -Dbench.batch=N} envelopes per sink write, default 1,000).
 */
@Tag("benchmark")
class KafkaThroughputBenchmark {

    /** Envelopes per sink write: the nozzle's default {@code hydrant.nozzle.batch-size}; {@code -Dbench.batch=N}. */
    private static final int BATCH = Integer.getInteger("bench.batch", 1000);

    @Test
    void envelopesPerSecond() throws Exception {
        int total = Integer.getInteger("bench.envelopes", 2_000_000);
        Path dir = Files.createTempDirectory("kafka-bench");
        try (KafkaBroker broker = KafkaBroker.start(dir, List.of("-Xmx1g", "-XX:+UseG1GC"))) {
            broker.createTopic("bench", 3);
            List<Envelope> envelopes = envelopes(total);
            KafkaSinkProperties settings = new KafkaSinkProperties(broker.bootstrapServers(), "bench", "all", "lz4",
                    Duration.ofMillis(5), DataSize.ofKilobytes(64), Duration.ofSeconds(30), null, Map.of());
            Map<String, Object> config = new HashMap<>(KafkaNozzleConfiguration.producerConfig(settings));
            double warmBaseline = baseline(config, envelopes.subList(0, total / 10));
            double warmNozzle = nozzle(config, envelopes.subList(0, total / 10));
            double warmRuntime = runtime(config, envelopes.subList(0, total / 10));
            System.out.printf("warm-up: baseline %.0f/s, sink %.0f/s, runtime %.0f/s%n", warmBaseline, warmNozzle,
                    warmRuntime);
            for (int round = 1; round <= 3; round++) {
                double baseline = baseline(config, envelopes);
                double nozzle = nozzle(config, envelopes);
                double runtime = runtime(config, envelopes);
                System.out.printf("KAFKA-BENCH round=%d envelopes=%d bytes/envelope=%d batch=%d baseline=%.0f/s"
                        + " sink=%.0f/s runtime=%.0f/s%n", round, total, envelopes.get(0).getSerializedSize(), BATCH,
                        baseline, nozzle, runtime);
            }
        }
    }

    /** The same bytes through a bare producer: keys and values made beforehand, one flush at the end. */
    private static double baseline(Map<String, Object> config, List<Envelope> envelopes) throws Exception {
        List<byte[]> keys = new ArrayList<>(envelopes.size());
        List<byte[]> values = new ArrayList<>(envelopes.size());
        for (Envelope envelope : envelopes) {
            keys.add(envelope.getSourceId().getBytes(StandardCharsets.UTF_8));
            values.add(envelope.toByteArray());
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            Future<RecordMetadata> last = null;
            for (int i = 0; i < values.size(); i++) {
                last = producer.send(new ProducerRecord<>("bench", keys.get(i), values.get(i)));
            }
            producer.flush();
            last.get();
            return envelopes.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The nozzle's sink, written to one batch at a time as the SDK's writer thread does. */
    private static double nozzle(Map<String, Object> config, List<Envelope> envelopes) throws Exception {
        try (KafkaEnvelopeSink sink = sink(config)) {
            long start = System.nanoTime();
            for (int from = 0; from < envelopes.size(); from += BATCH) {
                sink.write(envelopes.subList(from, Math.min(envelopes.size(), from + BATCH)));
            }
            return envelopes.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The nozzle's sink, with the nozzle's default write timeout, on a producer of its own. */
    private static KafkaEnvelopeSink sink(Map<String, Object> config) {
        return new KafkaEnvelopeSink(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                "bench", String.valueOf(config.get("bootstrap.servers")), Duration.ofSeconds(30),
                new KafkaSinkMetrics(new SimpleMeterRegistry()));
    }

    /**
     * The nozzle's runtime (its buffer of 50,000 and writer thread, as the app configures it) with the sink, fed
     * batches of 1,000 as fast as its buffer has room (the Traffic Controller's side left out); checks that
     * nothing was dropped.
     */
    private static double runtime(Map<String, Object> config, List<Envelope> envelopes) throws Exception {
        Sinks.Many<List<Envelope>> feed = Sinks.many().unicast().onBackpressureBuffer();
        try (KafkaEnvelopeSink sink = sink(config);
             NozzleRuntime runtime = NozzleRuntime.builder(sink).batchSize(BATCH).bufferSize(50_000).build()
                     .start(feed.asFlux())) {
            long start = System.nanoTime();
            for (int from = 0; from < envelopes.size(); from += 1000) {
                while (runtime.health().buffered() > 50_000 - 2000) {
                    LockSupport.parkNanos(100_000);
                }
                feed.tryEmitNext(envelopes.subList(from, Math.min(envelopes.size(), from + 1000)));
            }
            while (runtime.health().written() + runtime.dropped() < envelopes.size()) {
                LockSupport.parkNanos(100_000);
            }
            double rate = envelopes.size() / ((System.nanoTime() - start) / 1e9);
            if (runtime.dropped() > 0) {
                throw new IllegalStateException("the runtime dropped " + runtime.dropped());
            }
            return rate;
        }
    }

    /** Log envelopes as Cloud Foundry apps send them: 120-byte payloads, the usual tags, 100 source ids. */
    private static List<Envelope> envelopes(int count) {
        String payload = "x".repeat(120);
        List<Envelope> envelopes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            envelopes.add(Envelope.newBuilder().setSourceId("app-" + (i % 100)).setInstanceId(Integer.toString(i % 4))
                    .setTimestamp(1_700_000_000_000_000_000L + i)
                    .putTags("deployment", "cf").putTags("job", "diego-cell").putTags("index", "0")
                    .putTags("ip", "10.0.0.1").putTags("source_type", "APP/PROC/WEB")
                    .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(payload)).setType(Log.Type.OUT))
                    .build());
        }
        return envelopes;
    }
}
