package dev.hydrant.nozzles.splunk;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.format.Mapping;
import dev.hydrant.nozzles.splunk.hec.HecClient;
import dev.hydrant.nozzles.splunk.hec.HecHealth;
import dev.hydrant.nozzles.splunk.hec.HecMetrics;
import dev.hydrant.nozzles.splunk.hec.HecSender;
import dev.hydrant.nozzles.splunk.hec.HecSink;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events per second into the HEC test server, side by side in one run: the nozzle's sink (encode each batch
 * of 1000 envelopes to JSON, gzip, POST, read the answer) against a baseline of the same HTTP client posting
 * the same requests pre-built. Not run by {@code verify} (tag {@code benchmark}); run it with
 * {@code ./mvnw -B -ntp -q -pl nozzles/splunk -am verify -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsplunk.excluded-groups= -Dtest=HecBenchmark}; the figures are in the test's output file under
 * {@code nozzles/splunk/target/surefire-reports/}.
 */
@Tag("benchmark")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class HecBenchmark {

    private static final int BATCH = 1000;
    private static final int BATCHES = 20;
    private static final Duration WARMUP = Duration.ofSeconds(5);
    private static final Duration RUN = Duration.ofSeconds(8);
    private static final int ROUNDS = 2;

    @Test
    void eventsPerSecond_nozzleSinkAgainstPrebuiltPosts() throws Exception {
        try (FakeHec hec = new FakeHec("bench-token", null, false)) {
            List<List<Envelope>> batches = batches();
            for (boolean gzip : new boolean[] {true, false}) {
                HecClient client = new HecClient(URI.create(hec.url("http")), "bench-token", null, null,
                        Duration.ofSeconds(10), Duration.ofSeconds(30));
                HecEncoder encoder = new HecEncoder(Mapping.defaults(), 1_000_000, gzip);
                List<Chunk> prebuilt = new ArrayList<>();
                for (List<Envelope> batch : batches) {
                    encoder.encode(batch).chunks().forEach(chunk -> prebuilt.add(chunk.compressed()));
                }
                System.out.printf(Locale.ROOT, "gzip=%s: %,d bytes per request of %d events (%,d bytes of JSON)%n", gzip,
                        prebuilt.get(0).body().length, prebuilt.get(0).events(), prebuilt.get(0).json().length);
                for (int round = 1; round <= ROUNDS; round++) {
                    encodeAlone("gzip=" + gzip + ": encoding alone (JSON" + (gzip ? " and gzip" : "") + ", no request) "
                            + round, encoder, batches);
                }
                for (int inFlight : new int[] {1, 4}) {
                    HecMetrics metrics = new HecMetrics(new SimpleMeterRegistry());
                    HecSender sender = new HecSender(client, encoder, metrics, new HecHealth(Duration.ofSeconds(1), false),
                            10, Duration.ofMillis(100), Duration.ofSeconds(1), false);
                    try (HecSink sink = new HecSink(encoder, sender, metrics, null, inFlight, Duration.ofSeconds(30),
                            false)) {
                        Work baseline = stop -> {
                            long handed = 0;
                            for (int i = 0; !stop.get(); i++) {
                                Chunk chunk = prebuilt.get(i % prebuilt.size());
                                if (!client.post(chunk.body(), chunk.gzipped()).accepted()) {
                                    throw new IllegalStateException("refused");
                                }
                                handed += chunk.events();
                            }
                            return handed;
                        };
                        Work nozzle = stop -> {
                            long handed = 0;
                            for (int i = 0; !stop.get(); i++) {
                                List<Envelope> batch = batches.get(i % batches.size());
                                sink.write(batch); // never throws with a firehose sink
                                handed += batch.size();
                            }
                            return handed;
                        };
                        String label = "gzip=" + gzip + ", " + inFlight + " in flight: ";
                        measure(label + "warm-up", hec, nozzle, 1, WARMUP);
                        for (int round = 1; round <= ROUNDS; round++) {
                            measure(label + "baseline (pre-built posts) " + round, hec, baseline, inFlight, RUN);
                            measure(label + "nozzle (HecSink.write) " + round, hec, nozzle, 1, RUN);
                        }
                    }
                }
            }
        }
    }

    /** One thread encoding batches (and compressing them, for gzip) for RUN, without sending them. */
    private static void encodeAlone(String name, HecEncoder encoder, List<List<Envelope>> batches) {
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        long events = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            for (Chunk chunk : encoder.encode(batches.get(i % batches.size())).chunks()) {
                events += chunk.compressed().events();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-70s %,10.0f events/s (%.2f us per event)%n", name, events / seconds,
                seconds * 1e6 / events);
    }

    /** Sends until {@code stop} is set, finishing the request or write under way; the events it handed over. */
    @FunctionalInterface
    private interface Work {
        long run(AtomicBoolean stop) throws Exception;
    }

    /**
     * Runs {@code work} on {@code threads} threads for {@code duration}; the rate is what the HEC counted. Before
     * the next interval starts, every event handed over must have reached the HEC (the sink's requests still in
     * flight when its writer stopped), so that none lands in the next one's count.
     */
    private static void measure(String name, FakeHec hec, Work work, int threads, Duration duration) throws Exception {
        long before = hec.eventCount();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong handed = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    handed.addAndGet(work.run(stop));
                } catch (Exception e) {
                    failed.set(e);
                }
            }, "bench-" + t);
            thread.start();
            running.add(thread);
        }
        Thread.sleep(duration.toMillis()); // the measured interval itself, not a synchronisation
        long arrived = hec.eventCount() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread thread : running) {
            thread.join();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        await("every event handed over counted by the HEC").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10)).until(() -> hec.eventCount() - before >= handed.get());
        System.out.printf(Locale.ROOT, "%-70s %,10.0f events/s%n", name, arrived / seconds);
    }

    /**
     * 20 batches of 1000 logs with Cloud Foundry's tags and 120-byte payloads that read like an app's log lines
     * (random ids and numbers, so that gzip meets a realistic ratio rather than repeated padding).
     */
    private static List<List<Envelope>> batches() {
        java.util.Random random = new java.util.Random(42);
        String[] levels = {"INFO ", "WARN ", "DEBUG", "ERROR"};
        String[] actions = {"placed", "shipped", "cancelled", "paid", "refunded"};
        List<List<Envelope>> batches = new ArrayList<>();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int b = 0; b < BATCHES; b++) {
            List<Envelope> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                String line = String.format(Locale.ROOT,
                        "%s [exec-%d] c.a.shop.OrderController - order %s %s by user %08x in %d ms, items %d, total %d.%02d EUR",
                        levels[random.nextInt(levels.length)], random.nextInt(200), new java.util.UUID(random.nextLong(),
                                random.nextLong()), actions[random.nextInt(actions.length)], random.nextInt(),
                        random.nextInt(500), random.nextInt(20), random.nextInt(1000), random.nextInt(100));
                String text = (line + " ".repeat(120)).substring(0, 120);
                batch.add(Envelope.newBuilder().setSourceId("6f7a2c1e-0d4b-4c55-9a51-3f0e1b2c3d4e").setInstanceId("0")
                        .setTimestamp(now + i).putTags("source_type", "APP/PROC/WEB").putTags("ip", "10.0.16.7")
                        .putTags("deployment", "cf").putTags("job", "diego-cell").putTags("index", "3")
                        .putTags("app_name", "shop").putTags("space_name", "prod").putTags("organization_name", "acme")
                        .setLog(Log.newBuilder().setType(Log.Type.OUT).setPayload(ByteString.copyFromUtf8(text)))
                        .build());
            }
            batches.add(batch);
        }
        return batches;
    }
}
