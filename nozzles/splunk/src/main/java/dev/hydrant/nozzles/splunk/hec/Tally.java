package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;

/**
 * Where what became of each event of a request is told: {@link HecMetrics} itself when the source is the
 * firehose (counted at once), or a {@link BatchAttempt} when the source replays (counted once the batch's
 * outcome is known). Every event of a request is told exactly once, as sent or as rejected, then the request
 * is {@linkplain #requestDone() done}. Thread-safe.
 */
interface Tally {

    /** Events the HEC accepted (without acknowledgement) or acknowledged as indexed. */
    void sent(int events);

    /** Events not indexed, and why. */
    void rejected(Rejected reason, int events);

    /** One request is settled: every event of it told. */
    default void requestDone() {
    }
}
