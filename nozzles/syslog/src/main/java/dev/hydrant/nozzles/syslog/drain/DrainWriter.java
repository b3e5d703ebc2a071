package dev.hydrant.nozzles.syslog.drain;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one drain's messages on a thread of its own, so that a slow or dead drain holds up nothing but
 * itself. Its buffer is bounded ({@link DrainSettings#bufferSize()}) and drops its oldest messages when full;
 * a failed connect or write is tried again after a backoff doubling from {@code minBackoff} up to
 * {@code maxBackoff}. What it loses (dropped from the buffer, or in a failed write) is counted, and kept for
 * the app's own log until {@link #takeLost()}. One warning per outage, one line when it writes again.
 */
public final class DrainWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DrainWriter.class);

    private final Binding binding;
    private final DrainConnector connector;
    private final DrainSettings settings;
    private final DrainCounters counters;
    private final DropOldestBuffer<byte[]> buffer;
    private final AtomicLong lost = new AtomicLong();
    /** About how many messages the buffer holds: a hint for waking the writer, set right at each take. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile DrainConnection connection;
    private boolean failing;

    DrainWriter(Binding binding, DrainConnector connector, DrainSettings settings, DrainCounters counters) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.buffer = new DropOldestBuffer<>(settings.bufferSize(), dropped -> {
            counters.dropped().increment(dropped);
            lost.addAndGet(dropped);
        });
        this.thread = new Thread(this::run, "drain-" + binding.id());
        this.thread.setDaemon(true);
    }

    DrainWriter start() {
        thread.start();
        return this;
    }

    public Binding binding() {
        return binding;
    }

    /**
     * Queues one message; never blocks, drops the oldest when the buffer is full. Wakes the writer only when a
     * whole batch is waiting: a writer waiting to fill a batch is not woken for each message.
     */
    public void offer(byte[] message) {
        buffer.offer(message);
        int batch = settings.batchSize();
        // counted only up to a batch: a drain that is down for long neither overflows nor contends the count
        if (pending.get() < batch && pending.incrementAndGet() == batch) {
            LockSupport.unpark(thread);
        }
    }

    /** Queues messages in order, as {@link #offer} does each, under one lock of the buffer. */
    public void offerAll(List<byte[]> messages) {
        buffer.offerAll(messages);
        int batch = settings.batchSize();
        if (pending.get() < batch && pending.addAndGet(messages.size()) >= batch) {
            LockSupport.unpark(thread);
        }
    }

    /** Messages lost since the last call. */
    public long takeLost() {
        return lost.getAndSet(0);
    }

    private void run() {
        List<byte[]> batch = new ArrayList<>(settings.batchSize());
        long backoff = settings.minBackoff().toNanos();
        while (!closed) {
            if (connection == null) {
                try {
                    connection = connector.connect();
                } catch (IOException | RuntimeException e) {
                    failed("cannot connect", e);
                    backoff = pause(backoff);
                    continue;
                }
            }
            batch.clear();
            take(batch);
            if (batch.isEmpty()) {
                continue;
            }
            try {
                connection.write(batch);
                counters.written().increment(batch.size());
                backoff = settings.minBackoff().toNanos();
                if (failing) {
                    failing = false;
                    log.info("Drain {} of {} ({}) is written again", binding.id(), binding.sourceId(), binding.redactedUrl());
                }
            } catch (IOException | RuntimeException e) {
                counters.failed().increment(batch.size());
                lost.addAndGet(batch.size());
                disconnect();
                failed("write failed", e);
                backoff = pause(backoff);
            }
        }
        disconnect();
    }

    /**
     * Takes up to a batch: what is there, and if that is less than a batch, waits (parked, woken by the offer that
     * makes a batch, or by close) up to the connector's batch wait for the rest.
     */
    private void take(List<byte[]> batch) {
        int max = settings.batchSize();
        int taken = buffer.drainTo(batch, max);
        pending.set(buffer.size());
        if (taken == max) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connector.batchWaitMillis());
        long left;
        while (!closed && pending.get() < max - taken && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
        buffer.drainTo(batch, max - taken);
        pending.set(buffer.size());
    }

    private void failed(String what, Exception e) {
        if (!failing && !closed) {
            failing = true;
            log.warn("Drain {} of {} ({}): {}: {}; trying again with backoff up to {}", binding.id(), binding.sourceId(),
                    binding.redactedUrl(), what, e.toString(), settings.maxBackoff());
        }
    }

    /** Waits {@code nanos} (cut short by close) and returns the next backoff. */
    private long pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (!closed && left > 0) {
            LockSupport.parkNanos(this, left);
            left = deadline - System.nanoTime();
        }
        return Math.min(nanos * 2, settings.maxBackoff().toNanos());
    }

    private void disconnect() {
        DrainConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    /** Stops the writer; what is still buffered is not written. */
    @Override
    public void close() {
        closed = true;
        DrainConnection open = connection;
        if (open != null) {
            open.close();
        }
        thread.interrupt();
        LockSupport.unpark(thread);
    }
}
