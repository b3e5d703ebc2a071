package dev.hydrant.nozzle.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Kafka source's meters, tag {@code nozzle} = the source's name (the SDK's README lists them). Lag is the
 * total over the partitions this reader holds, so the series stay one however many partitions there are.
 */
final class KafkaSourceMetrics {

    final LongAdder read = new LongAdder();
    final LongAdder corrupt = new LongAdder();
    final LongAdder committed = new LongAdder();
    final LongAdder commitFailures = new LongAdder();
    final AtomicLong lag = new AtomicLong();
    final AtomicLong partitions = new AtomicLong();
    final AtomicLong paused = new AtomicLong();

    KafkaSourceMetrics(MeterRegistry registry, String name) {
        Tags tags = Tags.of("nozzle", name);
        FunctionCounter.builder("nozzle.kafka.read", read, LongAdder::sum).tags(tags)
                .description("Records read from the topic").register(registry);
        FunctionCounter.builder("nozzle.kafka.corrupt", corrupt, LongAdder::sum).tags(tags)
                .description("Records skipped because their value is not an envelope").register(registry);
        FunctionCounter.builder("nozzle.kafka.committed", committed, LongAdder::sum).tags(tags)
                .description("Offsets committed: records written to the sink or skipped").register(registry);
        FunctionCounter.builder("nozzle.kafka.commit.failures", commitFailures, LongAdder::sum).tags(tags)
                .description("Offset commits that failed").register(registry);
        Gauge.builder("nozzle.kafka.lag", lag, AtomicLong::get).tags(tags)
                .description("Records in the held partitions not read yet").register(registry);
        Gauge.builder("nozzle.kafka.partitions", partitions, AtomicLong::get).tags(tags)
                .description("Partitions this reader holds").register(registry);
        Gauge.builder("nozzle.kafka.paused", paused, AtomicLong::get).tags(tags)
                .description("1 while reading is paused because the buffer is full").register(registry);
    }
}
