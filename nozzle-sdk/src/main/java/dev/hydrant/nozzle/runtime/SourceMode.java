package dev.hydrant.nozzle.runtime;

/**
 * Whether the source a nozzle reads delivers again what its sink does not take, for a sink that acts on it
 * (one that settles each batch before returning and fails it rather than drop it when the source replays).
 * The SDK's auto-configuration exposes it as a bean, from {@code hydrant.nozzle.source}.
 */
public enum SourceMode {

    /** The Traffic Controller's firehose: a batch the sink does not take is dropped and counted. */
    LIVE,

    /**
     * A {@link ReplayableSource} (a Kafka topic): a batch the sink does not take is retried, and read again by
     * the next reader when this one stops first.
     */
    REPLAYING;

    /** Whether what the sink does not take is delivered again. */
    public boolean replays() {
        return this == REPLAYING;
    }
}
