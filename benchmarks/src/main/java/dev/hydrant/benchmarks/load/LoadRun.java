package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * One measured run against open components: subscribe the consumers (the stalled one first),
 * prove the path with probe envelopes, send from the emitters for the set time, drain, and
 * report. Every channel it opens is closed before it returns.
 */
final class LoadRun {

    private static final String TLS_PREFIX = "load-harness.tls";
    private static final long PROBE_TIMEOUT_SECONDS = 60;
    private static final long PROBE_INTERVAL_MILLIS = 200;
    private static final int SETTLE_SCRAPES = 6;
    private static final long SETTLE_INTERVAL_MILLIS = 1_100;

    private final LoadSettings settings;
    private final Components components;
    private final HarnessClock clock = new HarnessClock();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    LoadRun(LoadSettings settings, Components components) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.components = Objects.requireNonNull(components, "components");
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
        List<Consumer> healthy = new ArrayList<>();
        Consumer stalled = null;
        if (settings.stalledConsumer()) {
            stalled = new Consumer("load-harness-stalled", true, clock, settings.emitters());
            stalled.subscribe(dopplerChannel(true));
        }
        for (int i = 0; i < settings.consumers(); i++) {
            Consumer consumer = new Consumer("load-harness-consumer-" + i, false, clock, settings.emitters());
            consumer.subscribe(dopplerChannel(false));
            healthy.add(consumer);
        }
        probe(healthy);
        if (settings.warmupSeconds() > 0) {
            sendAll(LoadEnvelopes.WARMUP_SOURCE_ID, settings.warmupSeconds());
            awaitQuiet(healthy);
        }

        PrometheusScrape metronBefore = PrometheusScrape.of(components.metronMetrics());
        PrometheusScrape dopplerBefore = PrometheusScrape.of(components.dopplerMetrics());
        List<Emitter> emitters = sendAll(LoadEnvelopes.SOURCE_ID, settings.seconds());
        long sent = emitters.stream().mapToLong(Emitter::sent).sum();
        long sendStart = emitters.stream().mapToLong(Emitter::startNanos).min().orElse(System.nanoTime());
        long sendEnd = emitters.stream().mapToLong(Emitter::endNanos).max().orElse(sendStart);
        drain(healthy, sent, sendEnd);
        PrometheusScrape metronAfter = settled(components.metronMetrics());
        PrometheusScrape dopplerAfter = settled(components.dopplerMetrics());

        if (stalled != null) {
            stalled.close(5, TimeUnit.SECONDS);
        }
        Histogram latency = new Histogram(3);
        List<Long> receivedPerConsumer = new ArrayList<>();
        long duplicates = 0;
        long foreign = 0;
        long lastReceive = sendStart;
        for (Consumer consumer : healthy) {
            consumer.close(5, TimeUnit.SECONDS);
            if (consumer.failure() != null) {
                errors.add("consumer stream failed: " + consumer.failure());
            }
            latency.add(consumer.latencyMicros());
            receivedPerConsumer.add(consumer.received());
            duplicates += consumer.duplicates();
            foreign += consumer.foreign();
            lastReceive = Math.max(lastReceive, consumer.lastReceiveNanos());
        }
        ComponentFigures metron = components.metronMetrics() == null ? ComponentFigures.ABSENT
                : ComponentFigures.between(metronBefore, metronAfter, components.metronPeakRssMb(),
                components.metronJvmOptions());
        ComponentFigures doppler = ComponentFigures.between(dopplerBefore, dopplerAfter,
                components.dopplerPeakRssMb(), components.dopplerJvmOptions());
        return new LoadReport(settings, sent, receivedPerConsumer, duplicates, foreign,
                (sendEnd - sendStart) / 1e9, (lastReceive - sendStart) / 1e9, latency, metron, doppler,
                PeakRss.ofSelf(), errors);
    }

    /** Sends probe envelopes along the measured path until every healthy consumer has seen one. */
    private void probe(List<Consumer> consumers) throws InterruptedException {
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(emitterChannel()).batchSender(new Ignore());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROBE_TIMEOUT_SECONDS);
        try {
            for (Consumer consumer : consumers) {
                while (!consumer.awaitProbe(PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
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

    /** Runs the emitters for {@code seconds}, sending envelopes of {@code sourceId}, and waits for them. */
    private List<Emitter> sendAll(String sourceId, int seconds) throws InterruptedException {
        long total = settings.rate() * seconds;
        List<Emitter> emitters = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.emitters(); i++) {
            long share = settings.rate() == 0 ? -1
                    : total / settings.emitters() + (i < total % settings.emitters() ? 1 : 0);
            Emitter emitter = new Emitter(i, emitterChannel(), clock,
                    new LoadEnvelopes(sourceId, i, settings.payloadBytes()), share,
                    settings.batchSize(), settings.tickMillis(), seconds);
            emitters.add(emitter);
            threads.add(new Thread(emitter, "load-harness-emitter-" + i));
        }
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

    /** Waits until all arrived, nothing new arrived for the quiet period, or the drain limit passed. */
    private void drain(List<Consumer> consumers, long sent, long sendEnd) throws InterruptedException {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(settings.drainQuietMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainMaxSeconds());
        while (System.nanoTime() < deadline) {
            long last = sendEnd;
            boolean all = true;
            for (Consumer consumer : consumers) {
                last = Math.max(last, consumer.lastReceiveNanos());
                all &= consumer.received() >= sent;
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
    private void awaitQuiet(List<Consumer> consumers) throws InterruptedException {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(settings.drainQuietMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainMaxSeconds());
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long last = start;
            for (Consumer consumer : consumers) {
                last = Math.max(last, consumer.lastActivityNanos());
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
