package dev.hydrant.nozzles.syslog.drain;

import io.micrometer.core.instrument.Counter;

/**
 * The meters of one drain (shared by the drains beyond the labelled ones).
 *
 * @param written messages the drain accepted (TCP: written and flushed; HTTPS: answered 2xx)
 * @param dropped messages pushed out of the drain's full buffer
 * @param failed  messages of writes that failed (connection lost, refused POST)
 */
public record DrainCounters(Counter written, Counter dropped, Counter failed) {
}
