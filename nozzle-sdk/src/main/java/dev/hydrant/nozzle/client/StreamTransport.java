package dev.hydrant.nozzle.client;

import reactor.core.publisher.Flux;

/**
 * Opens one stream for a request. The flux emits {@link Frame#OPEN} once the server has accepted
 * the stream, completes when the server ends it and fails on any error; reconnecting is not its job.
 */
interface StreamTransport {

    /**
     * @param token the bearer token without the {@code bearer } prefix; empty for none
     */
    Flux<Frame> open(ReadRequest request, String token);

    /** Where this transport connects, for log lines. */
    String endpoint();

    /** Releases what the transport holds (channels); streams already open are ended. */
    default void close() {
    }
}
