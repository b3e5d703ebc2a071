package dev.hydrant.nozzles.kafka.source;

import com.google.protobuf.ByteString;
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
import org.cloudfoundry.loggregator.v2.Log;

/** Puts records into a topic as the Kafka nozzle does (key = source id, value = envelope bytes), acknowledged. */
final class TopicRecords implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    TopicRecords(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A log envelope of {@code sourceId} whose payload is "{@code sourceId} {@code seq}". */
    static Envelope envelope(String sourceId, int seq) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(seq)
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(line(sourceId, seq)))).build();
    }

    static String line(String sourceId, int seq) {
        return sourceId + " " + seq;
    }

    /** Sends envelopes {@code from} to {@code to - 1} of each of {@code sources} source ids; returns their lines. */
    List<String> sendEnvelopes(int sources, int from, int to) throws Exception {
        List<String> lines = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            for (int s = 0; s < sources; s++) {
                String sourceId = "app-" + s;
                acks.add(send(sourceId.getBytes(StandardCharsets.UTF_8), envelope(sourceId, seq).toByteArray()));
                lines.add(line(sourceId, seq));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        return lines;
    }

    /** Sends one record as it is (a corrupt one, a tombstone). */
    void sendRaw(byte[] key, byte[] value) throws Exception {
        Future<RecordMetadata> ack = send(key, value);
        producer.flush();
        ack.get(60, TimeUnit.SECONDS);
    }

    private Future<RecordMetadata> send(byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    @Override
    public void close() {
        producer.close();
    }
}
