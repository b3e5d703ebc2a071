package dev.hydrant.nozzle.runtime;

import org.cloudfoundry.loggregator.v2.Envelope;

/** One envelope of a {@link ReplayableSource}, carrying whatever the source needs to know where it came from. */
public interface SourceRecord {

    Envelope envelope();
}
