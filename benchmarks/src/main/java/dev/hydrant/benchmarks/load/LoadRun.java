package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * One measured run against open components: subscribe the consumers (the stalled one first, then
 * each kind asked for: Doppler, the Traffic Controller's websocket firehose, its SSE stream),
 * prove the path to every one with probe envelopes, send from the emitters for the set time,
 * drain, and report. Every channel and stream it opens is closed before it returns.
 */
final class LoadRun {

    private static final String TLS_PREFIX = "load-harness.tls";
    private static final long PROBE_TIMEOUT_SECONDS = 60;
    private static final long PROBE_INTERVAL_MILLIS = 50;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    private static final int SETTLE_SCRAPES = 6;
    private static final long SETTLE_INTERVAL_MILLIS = 1_100;

    private final LoadSettings settings;
    private final Components components;
    private final HarnessClock clock = new HarnessClock();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final PrintStream log;
    private HttpClient http;

    LoadRun(LoadSettings settings, Components components, PrintStream log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.components = Objects.requireNonNull(components, "components");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Tells on the log what was done, with the ms since every component was ready. */
    private void progress(String what) {
        log.println("load-harness: " + what + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                - components.readyNanos()) + " ms after the pipe was ready");
    }

    LoadReport execute() throws InterruptedException, IOException {
        try {
            return measure();
        } finally {
            for (ManagedChannel channel : channels) {
                GrpcTransport.shutdown(channel, 2_000);
            }
        }
    }

    private LoadReport measure() throws InterruptedException {
        List<LoadConsumer> healthy = new ArrayList<>();
        DopplerConsumer stalled = null;
        if (settings.stalledConsumer()) {
            stalled = new DopplerConsumer("load-harness-stalled", true, clock, settings.emitters());
            stalled.subscribe(dopplerChannel(true));
        }
        for (ConsumerKind kind : settings.consumerKinds()) {
            for (int i = 0; i < settings.consumers(); i++) {
                healthy.add(subscribe(kind, i));
            }
        }
        progress("consumers subscribed");
        probe(healthy);
        progress("probe passed");
        if (settings.warmupSeconds() > 0) {
            sendAll(LoadEnvelopes.WARMUP_SOURCE_ID, settings.warmupSeconds(), null);
            awaitQuiet(healthy);
        }

        List<Hop> hops = components.hops();
        Map<Hop, PrometheusScrape> before = new LinkedHashMap<>();
        for (Hop hop : hops) {
            before.put(hop, PrometheusScrape.of(hop.metrics()));
        }
        List<Hop> watched = new ArrayList<>(hops);
        watched.add(Hop.harness());
        try (RunMonitor monitor = new RunMonitor(watched)) {
            AtomicLong loadStartNanos = new AtomicLong();
            FirstWindow firstWindow = new FirstWindow(settings.firstWindowSeconds(), () -> {
                loadStartNanos.set(System.nanoTime());
                monitor.loadStarted(TimeUnit.SECONDS.toMillis(settings.firstWindowSeconds()));
            });
            healthy.forEach(consumer -> consumer.receipts().countFirstWindow(firstWindow));
            monitor.start();
            List<Emitter> emitters = sendAll(LoadEnvelopes.SOURCE_ID, settings.seconds(), firstWindow);
            List<Long> startTimes = List.of(components.readyNanos(), loadStartNanos.get());
            List<OptionalLong> afterExecMs = startTimes.stream().map(at -> components.execNanos() == 0 || at == 0
                    ? OptionalLong.empty()
                    : OptionalLong.of(TimeUnit.NANOSECONDS.toMillis(at - components.execNanos()))).toList();
            long sent = emitters.stream().mapToLong(Emitter::sent).sum();
            long sendStart = emitters.stream().mapToLong(Emitter::startNanos).min().orElse(System.nanoTime());
            long sendEnd = emitters.stream().mapToLong(Emitter::endNanos).max().orElse(sendStart);
            drain(healthy, sent, sendEnd);
            monitor.finish();
            Map<Hop, PrometheusScrape> after = new LinkedHashMap<>();
            for (Hop hop : hops) {
                after.put(hop, settled(hop.metrics()));
            }

            if (stalled != null) {
                stalled.close(5, TimeUnit.SECONDS);
            }
            List<LoadReport.ConsumerOutcome> outcomes = new ArrayList<>();
            long lastReceive = sendStart;
            for (LoadConsumer consumer : healthy) {
                consumer.close(5, TimeUnit.SECONDS);
                if (consumer.failure() != null) {
                    errors.add(consumer.kind().label() + " consumer " + consumer.subscription() + " failed: "
                            + consumer.failure());
                }
                Receipts receipts = consumer.receipts();
                outcomes.add(new LoadReport.ConsumerOutcome(consumer.kind(), receipts.received(),
                        receipts.duplicates(), receipts.foreign(), receipts.latencyMicros()));
                lastReceive = Math.max(lastReceive, receipts.lastReceiveNanos());
            }
            double sendSeconds = (sendEnd - sendStart) / 1e9;
            List<HopFigures> hopFigures = new ArrayList<>();
            for (Hop hop : hops) {
                hopFigures.add(new HopFigures(hop, before.get(hop), after.get(hop), monitor.before(hop),
                        monitor.after(hop), monitor.rssMaxMb(hop), sendSeconds));
            }
            Hop harness = watched.get(watched.size() - 1);
            return new LoadReport(settings, sent, outcomes, sendSeconds, (lastReceive - sendStart) / 1e9,
                    HopFigures.flat("metron", hopFigures), HopFigures.flat("doppler", hopFigures),
                    HopFigures.flatTrafficController(hopFigures), PeakRss.ofSelf(), errors, hopFigures,
                    RunWindow.split(settings.firstWindowSeconds(), emitters, healthy, monitor, watched),
                    new RunWindow.HopCpu("harness", monitor.after(harness).cpuSecondsSince(monitor.before(harness)),
                            monitor.after(harness).cpuPercentSince(monitor.before(harness))),
                    afterExecMs.get(0), afterExecMs.get(1));
        }
    }

    /**
     * Opens the {@code index}th consumer of {@code kind}, with a subscription id of its own so that
     * it gets the whole stream: on Doppler's gRPC egress, or on the Traffic Controller's websocket
     * firehose or SSE stream with the admin token.
     */
    private LoadConsumer subscribe(ConsumerKind kind, int index) throws InterruptedException {
        switch (kind) {
            case WEBSOCKET -> {
                WebsocketConsumer consumer = new WebsocketConsumer("load-harness-websocket-" + index, clock,
                        settings.emitters());
                consumer.subscribe(http(), components.trafficControllerUri(), components.adminToken());
                return consumer;
            }
            case SSE -> {
                SseConsumer consumer = new SseConsumer("load-harness-sse-" + index, clock, settings.emitters());
                consumer.subscribe(http(), components.trafficControllerUri(), components.adminToken());
                return consumer;
            }
            default -> {
                DopplerConsumer consumer = new DopplerConsumer("load-harness-consumer-" + index, false, clock,
                        settings.emitters());
                consumer.subscribe(dopplerChannel(false));
                return consumer;
            }
        }
    }

    /** The HTTP client of the Traffic Controller consumers (HTTP/1.1: SSE and the websocket upgrade). */
    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return http;
    }

    /** Sends probe envelopes along the measured path until every healthy consumer has seen one. */
    private void probe(List<LoadConsumer> consumers) throws InterruptedException {
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(emitterChannel()).batchSender(new Ignore());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROBE_TIMEOUT_SECONDS);
        try {
            for (LoadConsumer consumer : consumers) {
                while (!consumer.receipts().awaitProbe(PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (consumer.failure() != null) {
                        throw new IllegalStateException("the " + consumer.kind().label() + " consumer "
                                + consumer.subscription() + " failed before the run: " + consumer.failure());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no probe envelope reached the consumers within "
                                + PROBE_TIMEOUT_SECONDS + " s: the path to Doppler's egress is not open");
                    }
                    stream.onNext(EnvelopeBatch.newBuilder().addBatch(LoadEnvelopes.probe(clock.nowEpochNanos())).build());
                }
            }
        } finally {
            stream.onCompleted();
        }
    }

    /**
     * Runs the emitters for {@code seconds}, sending envelopes of {@code sourceId}, and waits for them; each
     * counts apart what it stamped in {@code firstWindow} (null: no window).
     */
    private List<Emitter> sendAll(String sourceId, int seconds, FirstWindow firstWindow) throws InterruptedException {
        long total = settings.rate() * seconds;
        List<Emitter> emitters = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.emitters(); i++) {
            long share = settings.rate() == 0 ? -1
                    : total / settings.emitters() + (i < total % settings.emitters() ? 1 : 0);
            Emitter emitter = new Emitter(i, emitterChannel(), clock,
                    new LoadEnvelopes(sourceId, i, settings.payloadBytes()), share,
                    settings.batchSize(), settings.tickMillis(), seconds, firstWindow);
            emitters.add(emitter);
            threads.add(new Thread(emitter, "load-harness-emitter-" + i));
        }
        connect(emitters.stream().map(Emitter::channel).toList());
        progress("emitters connected");
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(seconds + 40L));
        }
        for (Emitter emitter : emitters) {
            if (!emitter.awaitFinished(10, TimeUnit.SECONDS)) {
                errors.add("emitter " + emitter.index() + ": the server did not close its stream within 10 s");
            }
            if (emitter.failure() != null) {
                errors.add("emitter " + emitter.index() + " failed: " + emitter.failure());
            }
        }
        return emitters;
    }

    /**
     * Connects the emitters' channels (TLS handshakes included) before they start, so that a cold run's
     * load begins at once and the first window is not spent connecting; bounded, a channel that is not
     * ready by then connects when its emitter first sends.
     */
    private static void connect(List<ManagedChannel> emitterChannels) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS);
        for (ManagedChannel channel : emitterChannels) {
            while (channel.getState(true) != ConnectivityState.READY && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
    }

    /** Waits until all arrived, nothing new arrived for the quiet period, or the drain limit passed. */
    private void drain(List<LoadConsumer> consumers, long sent, long sendEnd) throws InterruptedException {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(settings.drainQuietMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainMaxSeconds());
        while (System.nanoTime() < deadline) {
            long last = sendEnd;
            boolean all = true;
            for (LoadConsumer consumer : consumers) {
                last = Math.max(last, consumer.receipts().lastReceiveNanos());
                all &= consumer.receipts().received() >= sent;
            }
            if (all || System.nanoTime() - last >= quietNanos) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Scrapes until two scrapes a moment apart agree (bounded), so that counters a component
     * updates a little after the envelopes pass (a stream's confirmation, say) are included.
     */
    private static PrometheusScrape settled(URI endpoint) throws InterruptedException {
        PrometheusScrape last = PrometheusScrape.of(endpoint);
        if (endpoint == null) {
            return last;
        }
        for (int i = 0; i < SETTLE_SCRAPES; i++) {
            TimeUnit.MILLISECONDS.sleep(SETTLE_INTERVAL_MILLIS);
            PrometheusScrape next = PrometheusScrape.of(endpoint);
            if (next.sameCounters(last)) {
                return next;
            }
            last = next;
        }
        return last;
    }

    /** Waits until the consumers got nothing at all for the quiet period (bounded by the drain limit). */
    private void awaitQuiet(List<LoadConsumer> consumers) throws InterruptedException {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(settings.drainQuietMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainMaxSeconds());
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long last = start;
            for (LoadConsumer consumer : consumers) {
                last = Math.max(last, consumer.receipts().lastActivityNanos());
            }
            if (System.nanoTime() - last >= quietNanos) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private ManagedChannel dopplerChannel(boolean stalled) {
        var builder = GrpcTransport.channel(components.dopplerAddress(), "doppler", components.clientTls(), TLS_PREFIX);
        if (stalled) {
            // a small window, so that a consumer that never reads is felt by Doppler soon
            builder.flowControlWindow(64 * 1024);
        }
        return track(builder.build());
    }

    private ManagedChannel emitterChannel() {
        boolean direct = settings.dopplerOnly();
        String target = direct ? components.dopplerAddress() : components.metronAddress();
        return track(GrpcTransport.channel(target, direct ? "doppler" : "metron", components.clientTls(), TLS_PREFIX)
                .build());
    }

    private ManagedChannel track(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }

    /** The empty BatchSender response of the probe stream. */
    private static final class Ignore implements StreamObserver<BatchSenderResponse> {
        @Override
        public void onNext(BatchSenderResponse value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
