package dev.hydrant.nozzles.kafka.sink;

import dev.hydrant.nozzle.runtime.NozzleSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Writes each envelope of a batch as one record: key = its source id (so one app's envelopes go to one
 * partition, in order), value = exactly {@code Envelope.toByteArray()}. {@link #write} returns only once the
 * broker has acknowledged every record of the batch (as {@code acks} asks), and throws if any was not: the
 * nozzle SDK then retries the whole batch, so nothing it counts as written is missing from the topic (a record
 * acknowledged in a failed batch is written twice: at least once).
 *
 * <p>A write is bounded by {@code writeTimeout}, which the producer has as {@code max.block.ms} (waiting for the
 * brokers' metadata, or for room in its buffer) and {@code delivery.timeout.ms} (from each record's send to its
 * acknowledgement). The first record that fails, or the timeout running out, ends the sending: the rest of the
 * batch fails at once instead of waiting again, record after record. The SDK logs the failure once and retries.
 *
 * <p>A record refused as too large (by the producer's {@code max.request.size}, or by the topic's
 * {@code max.message.bytes} after the producer split its batch down to it) would be refused again at every
 * retry: it is not a failure of the batch but of that envelope, which is dropped and counted
 * ({@code kafka.sink.too.large}, a rate-limited log line naming the settings); the rest of the batch is written.
 */
public final class KafkaEnvelopeSink implements NozzleSink, AutoCloseable {

    /**
     * The largest record this nozzle writes: an envelope up to Hydrant's 10 MiB message limit (docs/wire.md
     * section 8) plus 64 KiB for its key and the record's and batch's framing. The producer's
     * {@code max.request.size} by default; a topic needs a {@code max.message.bytes} of it to take every envelope.
     */
    public static final int LARGEST_RECORD = 10 * 1024 * 1024 + 64 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String bootstrapServers;
    private final Duration writeTimeout;
    private final KafkaSinkMetrics metrics;
    private final TooLargeRecords tooLarge;
    private volatile String lastError = "";
    private volatile boolean healthy = true;

    public KafkaEnvelopeSink(Producer<byte[], byte[]> producer, String topic, String bootstrapServers,
                             Duration writeTimeout, KafkaSinkMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.writeTimeout = writeTimeout;
        this.metrics = metrics;
        this.tooLarge = new TooLargeRecords(metrics.tooLarge, topic);
    }

    @Override
    public void write(List<Envelope> batch) throws Exception {
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        FirstFailure failure = new FirstFailure();
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        int[] sizes = new int[batch.size()];
        for (Envelope envelope : batch) {
            if (failure.cause != null || System.nanoTime() - deadline > 0) {
                break;
            }
            byte[] value = envelope.toByteArray();
            sizes[acks.size()] = value.length;
            try {
                acks.add(producer.send(new ProducerRecord<>(topic,
                        envelope.getSourceId().getBytes(StandardCharsets.UTF_8), value), failure));
            } catch (RuntimeException e) {
                acks.add(CompletableFuture.failedFuture(e)); // keeps acks.get(i) the future of batch.get(i)
                failure.onCompletion(null, e);
            }
        }
        try {
            producer.flush();
        } catch (RuntimeException e) {
            metrics.failed.increment(batch.size());
            failed(describe(e));
            throw e;
        }
        int acknowledged = 0;
        int refused = 0;
        long bytes = 0;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
                acknowledged++;
                bytes += sizes[i];
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException tooLargeError) {
                    refused++;
                    tooLarge.dropped(batch.get(i), sizes[i], tooLargeError);
                } else {
                    failure.onCompletion(null, e.getCause() instanceof Exception cause ? cause : e);
                }
            }
        }
        metrics.sent.increment(acknowledged);
        metrics.bytes.increment(bytes);
        if (acknowledged + refused < batch.size()) {
            metrics.failed.increment(batch.size() - acknowledged - refused);
            String what = failure.cause == null ? "not sent within " + timeout() : describe(failure.cause);
            failed(what);
            throw new KafkaSendException((batch.size() - acknowledged - refused) + " of " + batch.size()
                    + " records not acknowledged: " + what, failure.cause);
        }
        healthy = true;
    }

    /** What went wrong, in the operator's words where the client's are obscure. */
    private String describe(Exception cause) {
        if (cause instanceof TimeoutException && !connected()) {
            return "no broker reachable at " + bootstrapServers + " within " + timeout();
        }
        return cause.toString();
    }

    private String timeout() {
        long millis = writeTimeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Whether the producer holds a connection to any broker now. */
    private boolean connected() {
        return producer.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("connection-count"))
                .filter(m -> m.getKey().group().equals("producer-metrics"))
                .anyMatch(m -> m.getValue().metricValue() instanceof Double count && count > 0);
    }

    private void failed(String what) {
        lastError = what;
        healthy = false;
    }

    /** Whether the last batch was acknowledged whole (or none was written yet). */
    public boolean healthy() {
        return healthy;
    }

    /** Why the last failed batch failed, or empty. */
    public String lastError() {
        return lastError;
    }

    public String topic() {
        return topic;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Sends what the producer still holds (waiting up to 10 s) and closes it. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Keeps the first error of a batch's records; the producer calls it on its I/O thread or in {@code send}. */
    private static final class FirstFailure implements Callback {

        private volatile Exception cause;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && cause == null && !(exception instanceof RecordTooLargeException)) {
                cause = exception;
            }
        }
    }

    /** Some records of a batch were not acknowledged. */
    static final class KafkaSendException extends Exception {

        KafkaSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
