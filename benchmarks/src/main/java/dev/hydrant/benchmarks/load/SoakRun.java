package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One soak against started components: open the firehose and app-stream readers, warm up (the
 * warm-up envelopes carry the app's source id under emitter numbers the run does not use, so both
 * readers see them and prove their stream, yet do not count them), then send for the set time while
 * the recent-logs poller, the churning client and the memory sampler run on a schedule; drain,
 * and report.
 */
final class SoakRun {

    private static final String TLS_PREFIX = "load-harness.tls";

    private final LoadSettings settings;
    private final Components components;
    private final int sampleSeconds;
    private final int recentLogsSeconds;
    private final int churnMillis;
    private final Path table;
    private final HarnessClock clock = new HarnessClock();
    private final List<String> errors = new ArrayList<>();

    SoakRun(LoadSettings settings, Components components, int sampleSeconds, int recentLogsSeconds,
            int churnMillis, Path table) {
        this.settings = settings;
        this.components = components;
        this.sampleSeconds = sampleSeconds;
        this.recentLogsSeconds = recentLogsSeconds;
        this.churnMillis = churnMillis;
        this.table = table;
    }

    SoakReport execute() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        WebsocketConsumer firehose = new WebsocketConsumer("soak-firehose", clock, settings.emitters());
        SseConsumer app = new SseConsumer("soak-app", LoadEnvelopes.SOURCE_ID, clock, settings.emitters());
        firehose.subscribe(http, components.trafficControllerUri(), components.adminToken());
        app.subscribe(http, components.trafficControllerUri(), components.adminToken());
        List<LoadConsumer> readers = List.of(firehose, app);
        ManagedChannel channel = GrpcTransport.channel(components.metronAddress(), "metron", components.clientTls(),
                TLS_PREFIX).build();
        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(3);
        try {
            send(channel, settings.emitters(), settings.warmupSeconds());
            for (LoadConsumer reader : readers) {
                if (reader.failure() != null || reader.receipts().foreign() == 0) {
                    throw new IllegalStateException("the " + reader.kind().label() + " reader got none of the"
                            + " warm-up: " + (reader.failure() == null ? "no envelope" : reader.failure()));
                }
            }
            PrometheusScrape[] before = scrapeAll();
            RecentLogsPoller poller = new RecentLogsPoller(components.trafficControllerUri(), LoadEnvelopes.SOURCE_ID,
                    components.adminToken());
            ChurnClient churn = new ChurnClient(components.trafficControllerUri(), LoadEnvelopes.SOURCE_ID,
                    components.adminToken());
            List<Emitter> emitters = new ArrayList<>();
            Map<String, LongSupplier> counts = new LinkedHashMap<>();
            counts.put("sent", () -> emitters.stream().mapToLong(Emitter::sent).sum());
            counts.put("firehose", () -> firehose.receipts().received());
            counts.put("app stream", () -> app.receipts().received());
            counts.put("recent-logs polls", poller::polls);
            counts.put("churn visits", churn::visits);
            counts.put("dropped metron", () -> dropped(components.metronMetrics()));
            counts.put("dropped doppler", () -> dropped(components.dopplerMetrics()));
            counts.put("dropped traffic controller", () -> dropped(components.trafficControllerMetrics()));
            RssSampler sampler = new RssSampler(components.started(), counts, table);
            Instant started = Instant.now();
            schedule.scheduleWithFixedDelay(poller::poll, recentLogsSeconds, recentLogsSeconds, TimeUnit.SECONDS);
            schedule.scheduleAtFixedRate(churn::visit, churnMillis, churnMillis, TimeUnit.MILLISECONDS);
            schedule.scheduleAtFixedRate(sampler::sample, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
            long sent = sendMeasured(channel, emitters);
            Instant ended = Instant.now();
            schedule.shutdown();
            if (!schedule.awaitTermination(30, TimeUnit.SECONDS)) {
                errors.add("the poller, churning client or sampler did not finish within 30 s");
            }
            drain(readers, sent);
            PrometheusScrape[] after = {settled(components.metronMetrics()), settled(components.dopplerMetrics()),
                    settled(components.trafficControllerMetrics())};
            for (LoadConsumer reader : readers) {
                reader.close(5, TimeUnit.SECONDS);
                if (reader.failure() != null) {
                    errors.add(reader.kind().label() + " reader failed: " + reader.failure());
                }
            }
            for (ComponentProcess component : components.started()) {
                if (!component.isAlive()) {
                    errors.add(component.name() + " is no longer running");
                }
            }
            return new SoakReport(settings, started, ended, sent, List.of(
                    SoakReport.Reader.of("firehose (websocket /firehose)", firehose.receipts()),
                    SoakReport.Reader.of("app stream (SSE /v2/read?source_id)", app.receipts())),
                    poller, churn, hops(before, after), sampler, table, errors);
        } finally {
            schedule.shutdownNow();
            GrpcTransport.shutdown(channel, 2_000);
        }
    }

    /** Sends the measured load; the envelopes sent. */
    private long sendMeasured(ManagedChannel channel, List<Emitter> emitters) throws InterruptedException {
        long total = settings.rate() * settings.seconds();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.emitters(); i++) {
            long share = total / settings.emitters() + (i < total % settings.emitters() ? 1 : 0);
            Emitter emitter = new Emitter(i, channel, clock, new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, i, 120),
                    share, 100, 10, settings.seconds());
            emitters.add(emitter);
            threads.add(new Thread(emitter, "soak-emitter-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        for (Emitter emitter : emitters) {
            if (!emitter.awaitFinished(10, TimeUnit.SECONDS)) {
                errors.add("emitter " + emitter.index() + ": the server did not close its stream within 10 s");
            }
            if (emitter.failure() != null) {
                errors.add("emitter " + emitter.index() + " failed: " + emitter.failure());
            }
        }
        return emitters.stream().mapToLong(Emitter::sent).sum();
    }

    /** The warm-up: the app's source id, emitter numbers from {@code first} on (not counted as the run's). */
    private void send(ManagedChannel channel, int first, int seconds) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        long total = settings.rate() * seconds;
        for (int i = 0; i < settings.emitters(); i++) {
            Emitter emitter = new Emitter(first + i, channel, clock,
                    new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, first + i, 120), total / settings.emitters(), 100, 10,
                    Math.max(1, seconds));
            threads.add(new Thread(emitter, "soak-warmup-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        TimeUnit.SECONDS.sleep(5);
    }

    private void drain(List<LoadConsumer> readers, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainMaxSeconds());
        long quiet = TimeUnit.MILLISECONDS.toNanos(settings.drainQuietMillis());
        while (System.nanoTime() < deadline) {
            boolean all = true;
            long last = 0;
            for (LoadConsumer reader : readers) {
                all &= reader.receipts().received() >= sent;
                last = Math.max(last, reader.receipts().lastReceiveNanos());
            }
            if (all || System.nanoTime() - last > quiet) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** All that a component counted as dropped since it started, or -1 if its endpoint did not answer. */
    private static long dropped(URI endpoint) {
        return (long) PrometheusScrape.of(endpoint).sum("dropped_total").orElse(-1);
    }

    private PrometheusScrape[] scrapeAll() {
        return new PrometheusScrape[] {PrometheusScrape.of(components.metronMetrics()),
                PrometheusScrape.of(components.dopplerMetrics()),
                PrometheusScrape.of(components.trafficControllerMetrics())};
    }

    private static PrometheusScrape settled(URI endpoint) throws InterruptedException {
        PrometheusScrape last = PrometheusScrape.of(endpoint);
        for (int i = 0; i < 6; i++) {
            TimeUnit.MILLISECONDS.sleep(1_100);
            PrometheusScrape next = PrometheusScrape.of(endpoint);
            if (next.sameCounters(last)) {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static List<SoakReport.Hop> hops(PrometheusScrape[] before, PrometheusScrape[] after) {
        String[] names = {"metron", "doppler", "traffic controller"};
        List<SoakReport.Hop> hops = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            hops.add(new SoakReport.Hop(names[i],
                    ComponentFigures.increase(before[i], after[i], "ingress_total"),
                    ComponentFigures.increase(before[i], after[i], "egress_total"),
                    ComponentFigures.increase(before[i], after[i], "dropped_total", "direction=\"ingress\""),
                    ComponentFigures.increase(before[i], after[i], "dropped_total", "direction=\"egress\"")));
        }
        return hops;
    }
}
