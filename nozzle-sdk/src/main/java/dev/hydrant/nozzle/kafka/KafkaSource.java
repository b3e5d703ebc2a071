package dev.hydrant.nozzle.kafka;

import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.runtime.ReplayableSource;
import dev.hydrant.nozzle.runtime.SourceIntake;
import dev.hydrant.nozzle.runtime.SourceRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Kafka topic whose values are v2 envelopes (as {@code nozzles/kafka} writes them) as a member of a
 * consumer group, for a {@code NozzleRuntime}: the same envelopes a nozzle reads from the Traffic Controller,
 * but kept by the topic until this source commits them, which it does only after the sink has taken them.
 *
 * <p>One thread owns the consumer: it polls, hands records to the runtime while its buffer has room and
 * pauses every partition while it has not (the topic is the buffer: nothing is dropped, and polling goes on
 * so the group keeps this member), and commits per partition the first offset not yet written once the
 * runtime reports a batch written. The runtime writes its next batch only after that commit, so a reader
 * killed at any moment has at most one batch written and not committed: the next reader writes it again.
 * When the group takes a partition away, what is written is committed first, and its records still waiting
 * here are not written (its next reader reads them). A record whose value is not an envelope is counted and
 * skipped. A failing broker connection is logged once per outage and retried.
 */
public final class KafkaSource implements ReplayableSource {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final long FAILURE_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaSourceSettings settings;
    private final ConnectionListener listener;
    private final KafkaSourceMetrics metrics;
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private final ArrayDeque<KafkaRecord> waiting = new ArrayDeque<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OffsetCommitter committer;
    private SourceIntake intake;
    private Thread thread;
    private boolean member;
    private volatile boolean active;
    private volatile boolean closing;

    /**
     * Creates the consumer (it connects once started).
     *
     * @throws KafkaException when the consumer properties are not valid
     */
    public KafkaSource(KafkaSourceSettings settings, ConnectionListener listener, MeterRegistry registry) {
        this.settings = settings;
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(settings.consumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.metrics = new KafkaSourceMetrics(registry, settings.name());
        this.committer = new OffsetCommitter(settings, consumer, metrics);
    }

    @Override
    public synchronized void start(SourceIntake intake) {
        if (thread != null || closing) {
            throw new IllegalStateException("the Kafka source " + settings.name() + " was started already");
        }
        this.intake = intake;
        thread = new Thread(this::pollLoop, "nozzle-" + settings.name() + "-kafka");
        thread.start();
    }

    @Override
    public boolean owns(SourceRecord record) {
        return !((KafkaRecord) record).partition().revoked();
    }

    @Override
    public void written(List<SourceRecord> records) throws InterruptedException {
        committer.written(records);
    }

    @Override
    public boolean active() {
        return active;
    }

    /** Stops reading, commits what is written and leaves the group; once (later calls do nothing). */
    @Override
    public void close() {
        Thread poller;
        synchronized (this) {
            if (closing) {
                return;
            }
            poller = thread;
            closing = true;
        }
        if (poller == null) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            poller.join(settings.commitTimeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.releaseAll();
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (!closing) {
                try {
                    committer.commitWritten(partitions.values());
                    handOn();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                    take(records);
                    polled();
                } catch (WakeupException e) {
                    // a batch was written, or the source is closing: go round
                } catch (KafkaException e) {
                    failed(e);
                    LockSupport.parkNanos(FAILURE_BACKOFF_NANOS);
                }
            }
        } finally {
            finish();
        }
    }

    /** Hands waiting records to the runtime while it has room; pauses every partition while some wait. */
    private void handOn() {
        while (!waiting.isEmpty() && intake.offer(waiting.peekFirst())) {
            waiting.pollFirst();
        }
        if (!waiting.isEmpty()) {
            consumer.pause(consumer.assignment());
            metrics.paused.set(1);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
            metrics.paused.set(0);
        }
    }

    private void take(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            PartitionProgress partition = partitions.get(tp);
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                metrics.read.increment();
                var envelope = EnvelopeValue.parse(record.value());
                if (partition == null) {
                    continue;
                }
                if (envelope == null) {
                    metrics.corrupt.increment();
                    partition.skipped(record.offset());
                } else {
                    partition.read(record.offset());
                    waiting.addLast(new KafkaRecord(envelope, partition, record.offset()));
                }
            }
        }
    }

    private void polled() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        metrics.lag.set(lag);
        if (member && !active) {
            active = true;
            LOG.info("Kafka source {} reads {} as group {}", settings.name(), settings.topic(), settings.groupId());
            listener.connected(settings.topic());
        }
    }

    private void failed(Exception e) {
        if (active) {
            active = false;
            LOG.warn("Kafka source {} cannot read {} ({}); retrying", settings.name(), settings.topic(), e.toString());
            listener.disconnected(settings.topic(), e);
        } else {
            LOG.debug("Kafka source {}: {}", settings.name(), e.toString());
        }
    }

    /** Commits what is written and leaves the group. */
    private void finish() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                committer.commitWritten(partitions.values());
                break;
            } catch (WakeupException e) {
                // the close's own wakeup: commit again
            } catch (RuntimeException e) {
                LOG.warn("Kafka source {}: the last commit failed ({})", settings.name(), e.toString());
                break;
            }
        }
        active = false;
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Kafka source {}: closing the consumer failed ({})", settings.name(), e.toString());
        }
        committer.releaseAll();
    }

    private void forget(Collection<TopicPartition> gone) {
        for (TopicPartition tp : gone) {
            PartitionProgress partition = partitions.remove(tp);
            if (partition != null) {
                partition.revoke();
            }
        }
        waiting.removeIf(record -> record.partition().revoked());
        metrics.partitions.set(partitions.size());
    }

    /** Runs inside {@code poll}, on the poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    committer.commitWritten(partitions.values());
                    break;
                } catch (WakeupException e) {
                    // a writer's wakeup: commit again
                }
            }
            forget(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            for (TopicPartition tp : assigned) {
                partitions.put(tp, new PartitionProgress(tp));
            }
            metrics.partitions.set(partitions.size());
            member = true;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            member = false;
            failed(new KafkaException("the group took this reader's partitions away: " + lost));
        }
    }
}
