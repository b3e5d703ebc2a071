package dev.hydrant.nozzle.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Runs a nozzle: reads its source into a bounded buffer; one writer thread takes batches of up to
 * {@code batchSize} envelopes or whatever arrived within {@code batchInterval}, and hands them to the
 * {@link NozzleSink}, retrying with backoff. {@link #close()} stops reading and flushes what is buffered.
 *
 * <p>Two kinds of source. A live stream ({@link #start(Flux)}, the Traffic Controller's) is read as fast as it
 * comes, so the server never sees a slow consumer: the buffer drops its oldest envelopes when full, and a
 * batch the sink refuses {@code maxAttempts} times is dropped; both are counted. A {@link ReplayableSource}
 * ({@link #start(ReplayableSource)}, a Kafka topic) keeps its records until told they are written: its
 * records wait in the source while the buffer is full (nothing is dropped), the sink is retried until it
 * succeeds or the runtime shuts down, and the source is told after each written batch.
 *
 * <p>Metrics (Micrometer, tag {@code nozzle} = the runtime's name):
 * <ul>
 *   <li>{@code nozzle.received}: envelopes read from the source.</li>
 *   <li>{@code nozzle.written}: envelopes the sink accepted.</li>
 *   <li>{@code nozzle.dropped}, tag {@code reason}: envelopes lost; {@code buffer} = pushed out of the full
 *       buffer by newer ones (the sink is too slow), {@code sink} = the sink failed every attempt,
 *       {@code shutdown} = still buffered when the shutdown timeout ran out.</li>
 *   <li>{@code nozzle.returned} (replayable sources only): envelopes given back unwritten, which the source
 *       delivers again: still buffered at shutdown, or of a partition the source gave up.</li>
 *   <li>{@code nozzle.sink.errors}: failed sink write attempts.</li>
 *   <li>{@code nozzle.buffer.size}: envelopes waiting for the sink now.</li>
 * </ul>
 * At any time {@code received = written + dropped + returned + buffered + in the batch being written}.
 */
public final class NozzleRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NozzleRuntime.class);

    /** Longest the writer waits without checking for a shutdown. */
    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final NozzleRuntimeSettings settings;
    private final RuntimeCounters counters = new RuntimeCounters();
    private final SinkWriter writer;
    private final Tags tags;
    private volatile Lane<?> lane;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile long deadlineNanos = Long.MAX_VALUE;

    NozzleRuntime(NozzleRuntimeSettings settings) {
        this.settings = settings;
        this.writer = new SinkWriter(settings.sink(), settings.retryMinBackoff(), settings.retryMaxBackoff(),
                counters.written(), counters.sinkErrors());
        this.tags = Tags.of("nozzle", settings.name());
        register(settings.registry());
    }

    /** A runtime for {@code sink}; see {@link NozzleRuntimeBuilder} for the settings and their defaults. */
    public static NozzleRuntimeBuilder builder(NozzleSink sink) {
        return new NozzleRuntimeBuilder(NozzleRuntimeSettings.defaults(Objects.requireNonNull(sink, "sink")));
    }

    /** Starts reading {@code batches} (a live stream) and writing to the sink. Once only. */
    public synchronized NozzleRuntime start(Flux<List<Envelope>> batches) {
        Objects.requireNonNull(batches, "batches");
        FirehoseLane firehose = new FirehoseLane(settings.name(), settings.bufferSize(), settings.maxAttempts(), counters);
        run(firehose);
        firehose.subscribe(batches);
        return this;
    }

    /** Starts reading single envelopes; prefer {@link #start} with batches where the client offers them. */
    public NozzleRuntime startEnvelopes(Flux<Envelope> envelopes) {
        return start(envelopes.map(List::of));
    }

    /**
     * Starts reading {@code source} and writing to the sink, without ever dropping: see {@link ReplayableSource}.
     * The runtime closes the source when it is closed. Once only.
     */
    public synchronized NozzleRuntime start(ReplayableSource source) {
        Objects.requireNonNull(source, "source");
        ReplayLane replay = new ReplayLane(source, settings.bufferSize(), counters);
        FunctionCounter.builder("nozzle.returned", counters.returned(), LongAdder::sum).tags(tags)
                .description("Envelopes given back unwritten to a replayable source, which delivers them again")
                .register(settings.registry());
        run(replay);
        source.start(replay);
        return this;
    }

    public NozzleHealth health() {
        Lane<?> current = lane;
        return new NozzleHealth(current != null && !stopping, current != null && current.active(), writer.healthy(),
                counters.received().sum(), counters.written().sum(), dropped(), counters.sinkErrors().sum(),
                current == null ? 0 : current.buffer.size(), settings.bufferSize(), writer.lastError());
    }

    /** Envelopes lost for any reason so far. */
    public long dropped() {
        return counters.dropped();
    }

    /**
     * Stops reading, writes what is buffered (retrying the sink until the shutdown timeout) and stops the
     * writer thread; what could not be written by then is counted as dropped ({@code reason=shutdown}), or, for
     * a replayable source, as returned (the source closes without marking it done).
     */
    @Override
    public void close() {
        Lane<?> current;
        synchronized (this) {
            current = lane;
            if (current == null || stopping) {
                return;
            }
            stopping = true;
        }
        current.stopReading();
        deadlineNanos = System.nanoTime() + settings.shutdownTimeout().toNanos();
        try {
            thread.join(settings.shutdownTimeout().toMillis() + 1000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        current.close();
        List<Object> left = new ArrayList<>();
        current.buffer.drainTo(left, Integer.MAX_VALUE);
        current.leftAtShutdown(left.size());
        LOG.info("Nozzle {} stopped: received {}, written {}, dropped {}, returned to the source {}", settings.name(),
                counters.received().sum(), counters.written().sum(), dropped(), counters.returned().sum());
    }

    private <T> void run(Lane<T> chosen) {
        if (lane != null) {
            throw new IllegalStateException("the nozzle runtime " + settings.name() + " was started already");
        }
        lane = chosen;
        thread = new Thread(() -> writeLoop(chosen), "nozzle-" + settings.name() + "-writer");
        thread.start();
    }

    private <T> void writeLoop(Lane<T> source) {
        List<T> batch = new ArrayList<>(settings.batchSize());
        try {
            while (true) {
                boolean finishing = stopping;
                if (finishing) {
                    source.buffer.drainTo(batch, settings.batchSize());
                } else {
                    fill(source, batch);
                }
                if (!batch.isEmpty()) {
                    write(source, batch);
                    batch.clear();
                } else if (finishing) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> void write(Lane<T> source, List<T> batch) throws InterruptedException {
        List<Envelope> envelopes = source.envelopes(batch);
        if (envelopes.isEmpty()) {
            return;
        }
        if (writer.write(envelopes, source.maxAttempts(), deadlineNanos)) {
            source.written(batch);
        } else {
            source.unwritten(envelopes.size());
        }
    }

    /**
     * Fills {@code batch} until it holds {@code batchSize} envelopes or {@code batchInterval} has passed since
     * the wait began, waking at least every {@link #WAKE_NANOS} to notice a shutdown.
     */
    private <T> void fill(Lane<T> source, List<T> batch) throws InterruptedException {
        long end = System.nanoTime() + settings.batchInterval().toNanos();
        while (batch.size() < settings.batchSize() && !stopping) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            source.buffer.drainTo(batch, settings.batchSize() - batch.size(), Math.min(left, WAKE_NANOS),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void register(MeterRegistry registry) {
        FunctionCounter.builder("nozzle.received", counters.received(), LongAdder::sum).tags(tags)
                .description("Envelopes read from the source (the Traffic Controller, or the Kafka topic)")
                .register(registry);
        FunctionCounter.builder("nozzle.written", counters.written(), LongAdder::sum).tags(tags)
                .description("Envelopes the sink accepted").register(registry);
        FunctionCounter.builder("nozzle.dropped", counters.droppedByBuffer(), LongAdder::sum).tags(tags)
                .tag("reason", "buffer").description("Envelopes lost: pushed out of the full buffer").register(registry);
        FunctionCounter.builder("nozzle.dropped", counters.droppedBySink(), LongAdder::sum).tags(tags)
                .tag("reason", "sink").description("Envelopes lost: the sink failed every attempt").register(registry);
        FunctionCounter.builder("nozzle.dropped", counters.droppedAtShutdown(), LongAdder::sum).tags(tags)
                .tag("reason", "shutdown").description("Envelopes lost: not written before the shutdown timeout")
                .register(registry);
        FunctionCounter.builder("nozzle.sink.errors", counters.sinkErrors(), LongAdder::sum).tags(tags)
                .description("Failed sink write attempts").register(registry);
        Gauge.builder("nozzle.buffer.size", this, runtime -> {
            Lane<?> current = runtime.lane;
            return current == null ? 0 : current.buffer.size();
        }).tags(tags).description("Envelopes waiting for the sink").register(registry);
    }
}
