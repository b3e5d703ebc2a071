package dev.hydrant.nozzle.kafka;

import dev.hydrant.nozzle.runtime.SourceRecord;
import org.cloudfoundry.loggregator.v2.Envelope;

/** One envelope read from a partition, at its offset. */
record KafkaRecord(Envelope envelope, PartitionProgress partition, long offset) implements SourceRecord {
}
