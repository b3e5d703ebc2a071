package dev.hydrant.nozzle.kafka;

import dev.hydrant.nozzle.runtime.SourceRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the runtime's writer and the consumer's poll thread: the writer hands over each written batch and
 * waits; the poll thread marks its records done, commits per partition what may be committed, and lets the
 * writer go on. A failing commit is logged once per outage and counted.
 */
final class OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);

    private final KafkaSourceSettings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaSourceMetrics metrics;
    private final Queue<Written> written = new ConcurrentLinkedQueue<>();
    private final List<Written> uncommitted = new ArrayList<>();
    private boolean failing;

    OffsetCommitter(KafkaSourceSettings settings, KafkaConsumer<byte[], byte[]> consumer, KafkaSourceMetrics metrics) {
        this.settings = settings;
        this.consumer = consumer;
        this.metrics = metrics;
    }

    /** Writer thread: hands {@code records} over, wakes the poll thread and waits for the commit (bounded). */
    void written(List<SourceRecord> records) throws InterruptedException {
        Written done = new Written(records, new CompletableFuture<>());
        written.add(done);
        consumer.wakeup();
        try {
            done.committed().get(settings.commitTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // not committed in time: the poll thread goes on trying, and has logged why
        }
    }

    /**
     * Poll thread: marks the handed-over records done, commits what may be of {@code partitions} and releases
     * their writer. A {@link WakeupException} leaves them to the next call.
     */
    void commitWritten(Collection<PartitionProgress> partitions) {
        Written done;
        while ((done = written.poll()) != null) {
            for (SourceRecord record : done.records()) {
                KafkaRecord kafka = (KafkaRecord) record;
                kafka.partition().written(kafka.offset());
            }
            uncommitted.add(done);
        }
        commit(partitions);
        uncommitted.forEach(batch -> batch.committed().complete(null));
        uncommitted.clear();
    }

    /** Lets every waiting writer go on, committed or not (at close). */
    void releaseAll() {
        uncommitted.forEach(batch -> batch.committed().complete(null));
        uncommitted.clear();
        Written left;
        while ((left = written.poll()) != null) {
            left.committed().complete(null);
        }
    }

    private void commit(Collection<PartitionProgress> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionProgress partition : partitions) {
            long offset = partition.committable();
            if (offset > partition.committed()) {
                offsets.put(partition.partition(), new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, settings.commitTimeout());
            for (PartitionProgress partition : partitions) {
                OffsetAndMetadata offset = offsets.get(partition.partition());
                if (offset != null) {
                    metrics.committed.add(offset.offset() - partition.committed());
                    partition.committed(offset.offset());
                }
            }
            if (failing) {
                failing = false;
                LOG.info("Kafka source {}: offsets are committed again", settings.name());
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            metrics.commitFailures.increment();
            if (!failing) {
                failing = true;
                LOG.warn("Kafka source {}: committing offsets failed ({}); what is written and not committed will be"
                        + " read again by the next reader", settings.name(), e.toString());
            }
        }
    }

    /** A written batch and the writer waiting for its commit. */
    private record Written(List<SourceRecord> records, CompletableFuture<Void> committed) {
    }
}
