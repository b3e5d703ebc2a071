package dev.hydrant.nozzle.runtime;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
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
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Runs a nozzle: reads a stream of envelope batches as fast as it comes, so that the Traffic Controller never
 * sees a slow consumer, into a bounded drop-oldest buffer; one writer thread takes batches of up to
 * {@code batchSize} envelopes or whatever arrived within {@code batchInterval}, and hands them to the
 * {@link NozzleSink}, retrying with backoff. {@link #close()} stops reading and flushes what is buffered.
 *
 * <p>Metrics (Micrometer, tag {@code nozzle} = the runtime's name):
 * <ul>
 *   <li>{@code nozzle.received}: envelopes read from the stream.</li>
 *   <li>{@code nozzle.written}: envelopes the sink accepted.</li>
 *   <li>{@code nozzle.dropped}, tag {@code reason}: envelopes lost; {@code buffer} = pushed out of the full
 *       buffer by newer ones (the sink is too slow), {@code sink} = the sink failed every attempt,
 *       {@code shutdown} = still buffered when the shutdown timeout ran out.</li>
 *   <li>{@code nozzle.sink.errors}: failed sink write attempts.</li>
 *   <li>{@code nozzle.buffer.size}: envelopes waiting for the sink now.</li>
 * </ul>
 * At any time {@code received = written + dropped + buffered + in the batch being written}.
 */
public final class NozzleRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NozzleRuntime.class);

    /** Longest the writer waits without checking for a shutdown. */
    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final NozzleRuntimeSettings settings;
    private final LongAdder received = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder sinkErrors = new LongAdder();
    private final LongAdder droppedByBuffer = new LongAdder();
    private final LongAdder droppedBySink = new LongAdder();
    private final LongAdder droppedAtShutdown = new LongAdder();
    private final DropOldestBuffer<Envelope> buffer;
    private final SinkWriter writer;
    private final Thread thread;
    private final Reader reader = new Reader();
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean streamActive;
    private volatile long deadlineNanos = Long.MAX_VALUE;

    NozzleRuntime(NozzleRuntimeSettings settings) {
        this.settings = settings;
        this.buffer = new DropOldestBuffer<>(settings.bufferSize(), droppedByBuffer::add);
        this.writer = new SinkWriter(settings.sink(), settings.maxAttempts(), settings.retryMinBackoff(),
                settings.retryMaxBackoff(), written, sinkErrors, droppedBySink);
        this.thread = new Thread(this::writeLoop, "nozzle-" + settings.name() + "-writer");
        register(settings.registry(), Tags.of("nozzle", settings.name()));
    }

    /** A runtime for {@code sink}; see {@link NozzleRuntimeBuilder} for the settings and their defaults. */
    public static NozzleRuntimeBuilder builder(NozzleSink sink) {
        return new NozzleRuntimeBuilder(NozzleRuntimeSettings.defaults(Objects.requireNonNull(sink, "sink")));
    }

    /** Starts reading {@code batches} and writing to the sink. Once only. */
    public synchronized NozzleRuntime start(Flux<List<Envelope>> batches) {
        Objects.requireNonNull(batches, "batches");
        if (started) {
            throw new IllegalStateException("the nozzle runtime " + settings.name() + " was started already");
        }
        started = true;
        streamActive = true;
        thread.start();
        batches.subscribe(reader);
        return this;
    }

    /** Starts reading single envelopes; prefer {@link #start} with batches where the client offers them. */
    public NozzleRuntime startEnvelopes(Flux<Envelope> envelopes) {
        return start(envelopes.map(List::of));
    }

    public NozzleHealth health() {
        return new NozzleHealth(started && !stopping, streamActive, writer.healthy(), received.sum(), written.sum(),
                dropped(), sinkErrors.sum(), buffer.size(), buffer.capacity(), writer.lastError());
    }

    /** Envelopes lost for any reason so far. */
    public long dropped() {
        return droppedByBuffer.sum() + droppedBySink.sum() + droppedAtShutdown.sum();
    }

    /**
     * Stops reading, writes what is buffered (retrying the sink until the shutdown timeout) and stops the
     * writer thread; what could not be written by then is counted as dropped ({@code reason=shutdown}).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!started || stopping) {
                return;
            }
            stopping = true;
        }
        reader.dispose();
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
        List<Envelope> left = new ArrayList<>();
        buffer.drainTo(left, Integer.MAX_VALUE);
        droppedAtShutdown.add(left.size());
        LOG.info("Nozzle {} stopped: received {}, written {}, dropped {}", settings.name(), received.sum(),
                written.sum(), dropped());
    }

    private void writeLoop() {
        List<Envelope> batch = new ArrayList<>(settings.batchSize());
        try {
            while (true) {
                boolean finishing = stopping;
                if (finishing) {
                    buffer.drainTo(batch, settings.batchSize());
                } else {
                    fill(batch);
                }
                if (!batch.isEmpty()) {
                    writer.write(List.copyOf(batch), deadlineNanos);
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

    /**
     * Fills {@code batch} until it holds {@code batchSize} envelopes or {@code batchInterval} has passed since
     * the wait began, waking at least every {@link #WAKE_NANOS} to notice a shutdown.
     */
    private void fill(List<Envelope> batch) throws InterruptedException {
        long end = System.nanoTime() + settings.batchInterval().toNanos();
        while (batch.size() < settings.batchSize() && !stopping) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            buffer.drainTo(batch, settings.batchSize() - batch.size(), Math.min(left, WAKE_NANOS), TimeUnit.NANOSECONDS);
        }
    }

    private void register(MeterRegistry registry, Tags tags) {
        FunctionCounter.builder("nozzle.received", received, LongAdder::sum).tags(tags)
                .description("Envelopes read from the Traffic Controller").register(registry);
        FunctionCounter.builder("nozzle.written", written, LongAdder::sum).tags(tags)
                .description("Envelopes the sink accepted").register(registry);
        FunctionCounter.builder("nozzle.dropped", droppedByBuffer, LongAdder::sum).tags(tags).tag("reason", "buffer")
                .description("Envelopes lost: pushed out of the full buffer").register(registry);
        FunctionCounter.builder("nozzle.dropped", droppedBySink, LongAdder::sum).tags(tags).tag("reason", "sink")
                .description("Envelopes lost: the sink failed every attempt").register(registry);
        FunctionCounter.builder("nozzle.dropped", droppedAtShutdown, LongAdder::sum).tags(tags).tag("reason", "shutdown")
                .description("Envelopes lost: not written before the shutdown timeout").register(registry);
        FunctionCounter.builder("nozzle.sink.errors", sinkErrors, LongAdder::sum).tags(tags)
                .description("Failed sink write attempts").register(registry);
        Gauge.builder("nozzle.buffer.size", buffer, DropOldestBuffer::size).tags(tags)
                .description("Envelopes waiting for the sink").register(registry);
    }

    /** Takes everything the stream offers at once: the buffer, not the connection, absorbs a slow sink. */
    private final class Reader extends BaseSubscriber<List<Envelope>> {

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(List<Envelope> batch) {
            received.add(batch.size());
            buffer.offerAll(batch);
        }

        @Override
        protected void hookOnError(Throwable error) {
            streamActive = false;
            LOG.error("The envelope stream of nozzle {} failed and will not be reopened: {}", settings.name(),
                    error.toString());
        }

        @Override
        protected void hookOnComplete() {
            streamActive = false;
            if (!stopping) {
                LOG.warn("The envelope stream of nozzle {} ended", settings.name());
            }
        }
    }
}
