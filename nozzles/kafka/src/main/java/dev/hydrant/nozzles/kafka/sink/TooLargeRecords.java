package dev.hydrant.nozzles.kafka.sink;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelopes whose record the producer or the topic refused as too large: each is counted and dropped (sending
 * it again would be refused again), and at most one WARN line a minute says so, with how many since the last
 * line and which settings to raise.
 */
final class TooLargeRecords {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEnvelopeSink.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Counter counter;
    private final String topic;
    private long nextLine = System.nanoTime();
    private long unlogged;

    TooLargeRecords(Counter counter, String topic) {
        this.counter = counter;
        this.topic = topic;
    }

    synchronized void dropped(Envelope envelope, int bytes, RecordTooLargeException cause) {
        counter.increment();
        unlogged++;
        long now = System.nanoTime();
        if (now - nextLine < 0) {
            return;
        }
        nextLine = now + LOG_INTERVAL_NANOS;
        LOG.warn("Dropped {} envelope(s) too large for Kafka (the last: {} bytes, source id {}: {}); to write them,"
                        + " raise topic {}'s max.message.bytes (the broker's message.max.bytes for topics it creates)"
                        + " and hydrant.nozzle.kafka-sink.properties.max.request.size to {}: Hydrant's largest envelope"
                        + " plus framing. Counted in kafka.sink.too.large; at most one such line a minute",
                unlogged, bytes, envelope.getSourceId(), cause.getMessage(), topic, KafkaEnvelopeSink.LARGEST_RECORD);
        unlogged = 0;
    }
}
