package dev.hydrant.testsupport.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Puts envelopes into a topic in the format nozzles/kafka writes and the SDK's Kafka source reads: key = the
 * source id (UTF-8), value = {@code Envelope.toByteArray()}, no headers; a plain producer with {@code acks=all}.
 */
public final class EnvelopeTopic implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public EnvelopeTopic(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code envelopes} in order and returns once the broker has acknowledged every one. */
    public void send(List<Envelope> envelopes) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            acks.add(producer.send(new ProducerRecord<>(topic, envelope.getSourceId().getBytes(StandardCharsets.UTF_8),
                    envelope.toByteArray())));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
