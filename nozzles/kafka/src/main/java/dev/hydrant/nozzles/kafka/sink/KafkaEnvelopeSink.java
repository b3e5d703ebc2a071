package dev.hydrant.nozzles.kafka.sink;

import dev.hydrant.nozzle.runtime.NozzleSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Writes each envelope of a batch as one record: key = its source id (so one app's envelopes go to one
 * partition, in order), value = exactly {@code Envelope.toByteArray()}. {@link #write} returns only once the
 * broker has acknowledged every record of the batch (as {@code acks} asks), and throws if any was not: the
 * nozzle SDK then retries the whole batch, so nothing it counts as written is missing from the topic (a record
 * acknowledged in a failed batch is written twice: at least once).
 */
public final class KafkaEnvelopeSink implements NozzleSink, AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final KafkaSinkMetrics metrics;
    private volatile String lastError = "";
    private volatile boolean healthy = true;

    public KafkaEnvelopeSink(Producer<byte[], byte[]> producer, String topic, KafkaSinkMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void write(List<Envelope> batch) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        long bytes = 0;
        try {
            for (Envelope envelope : batch) {
                byte[] value = envelope.toByteArray();
                bytes += value.length;
                acks.add(producer.send(new ProducerRecord<>(topic, envelope.getSourceId().getBytes(StandardCharsets.UTF_8),
                        value)));
            }
            producer.flush();
        } catch (RuntimeException e) {
            fail(batch.size(), e);
            throw e;
        }
        int failed = 0;
        Throwable first = null;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            }
        }
        if (failed > 0) {
            fail(failed, first);
            throw new KafkaSendException(failed + " of " + batch.size() + " records not acknowledged: " + first, first);
        }
        metrics.sent.increment(batch.size());
        metrics.bytes.increment(bytes);
        healthy = true;
    }

    private void fail(int records, Throwable cause) {
        metrics.failed.increment(records);
        lastError = String.valueOf(cause);
        healthy = false;
    }

    /** Whether the last batch was acknowledged whole (or none was written yet). */
    public boolean healthy() {
        return healthy;
    }

    public String lastError() {
        return lastError;
    }

    public String topic() {
        return topic;
    }

    /** Sends what the producer still holds (waiting up to 10 s) and closes it. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Some records of a batch were not acknowledged. */
    static final class KafkaSendException extends Exception {

        KafkaSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
