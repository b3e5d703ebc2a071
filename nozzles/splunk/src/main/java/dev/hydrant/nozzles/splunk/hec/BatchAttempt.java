package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * One attempt at writing a batch when the source replays (Kafka): each request of the batch reports to its
 * {@link Request}, and {@link #await} returns once every one is settled, or throws when any was not taken
 * (retries exhausted, token or TLS refused, not acknowledged, the nozzle stopping), so that the SDK commits
 * nothing and writes the batch again. Events rejected as data ({@code invalid}, {@code index}) are done: they
 * would be rejected again, and must not hold the partition up.
 *
 * <p>When the SDK writes the same batch again, the requests the failed attempt completed are not sent again
 * (the batch encodes into the same requests): only the others are. So what reaches the HEC twice is only
 * what it took of an incomplete request (the events before an invalid one), or, when the batch is given up
 * (the nozzle stops) or the nozzle dies, what the batch's requests had delivered: at most one batch.
 *
 * <p>Counting: an attempt that succeeds adds the sent and rejected events of all its requests (the carried
 * ones too) to {@link HecMetrics}; what the HEC took of a request that is sent again, or of a batch given up,
 * goes to {@code splunk.events.duplicated}. So once a batch is written,
 * {@code nozzle.written = splunk.events.sent + splunk.events.rejected}. Used by the writer thread; the
 * requests report from the sender and acknowledgement threads.
 */
final class BatchAttempt {

    /** What became of one request's events, told by the threads that send it. */
    final class Request implements Tally {

        private final int events;
        private final Map<Rejected, Integer> rejected = new EnumMap<>(Rejected.class);
        private int sent;
        private int told;
        private int notTaken;
        private Rejected failure;

        private Request(int events) {
            this.events = events;
        }

        @Override
        public void sent(int count) {
            synchronized (BatchAttempt.this) {
                if (settled) {
                    metrics.duplicated(count); // taken after the batch was given up: it comes again
                    return;
                }
                sent += count;
                told += count;
            }
        }

        @Override
        public void rejected(Rejected reason, int count) {
            synchronized (BatchAttempt.this) {
                if (settled || count <= 0) {
                    return;
                }
                told += count;
                if (reason == Rejected.INVALID || reason == Rejected.INDEX) {
                    rejected.merge(reason, count, Integer::sum);
                } else {
                    notTaken += count;
                    failure = failure == null ? reason : failure;
                }
            }
        }

        @Override
        public void requestDone() {
            synchronized (BatchAttempt.this) {
                left--;
                BatchAttempt.this.notifyAll();
            }
        }

        private boolean complete() {
            return notTaken == 0 && told == events;
        }
    }

    private final HecMetrics metrics;
    private final List<Envelope> batch;
    private final int skipped;
    private final List<Request> requests = new ArrayList<>();
    private final List<Integer> toSend = new ArrayList<>();
    private int left;
    private boolean settled;

    /**
     * @param chunks  the requests {@code batch} encodes into
     * @param skipped the envelopes of {@code batch} with nothing to send
     * @param failed  the last attempt, when it failed: its completed requests are kept if it was this batch
     */
    BatchAttempt(HecMetrics metrics, List<Envelope> batch, List<Chunk> chunks, int skipped, BatchAttempt failed) {
        this.metrics = metrics;
        this.batch = batch;
        this.skipped = skipped;
        boolean same = failed != null && failed.requests.size() == chunks.size()
                && (failed.batch == batch || failed.batch.equals(batch));
        if (failed != null && !same) {
            failed.abandon();
        }
        for (int i = 0; i < chunks.size(); i++) {
            Request earlier = same ? failed.requests.get(i) : null;
            if (earlier != null && earlier.events == chunks.get(i).events() && earlier.complete()) {
                requests.add(earlier);
            } else {
                requests.add(new Request(chunks.get(i).events()));
                toSend.add(i);
            }
        }
        left = toSend.size();
    }

    /** The indexes of the requests to send in this attempt (those the last attempt did not complete). */
    List<Integer> toSend() {
        return toSend;
    }

    Request request(int index) {
        return requests.get(index);
    }

    /**
     * Waits until every request sent is settled, then counts the batch; throws when any request was not
     * taken, the attempt then being the {@code failed} one of the next.
     */
    synchronized void await() throws IOException, InterruptedException {
        try {
            while (left > 0) {
                wait();
            }
        } catch (InterruptedException e) {
            abandon();
            throw e;
        }
        settled = true;
        int notTaken = 0;
        Rejected failure = null;
        for (Request request : requests) {
            if (!request.complete()) {
                notTaken += request.events;
                failure = failure == null ? request.failure : failure;
                metrics.duplicated(request.sent); // the request is sent again whole
                request.sent = 0;
            }
        }
        if (notTaken == 0) {
            metrics.rejected(Rejected.INVALID, skipped);
            for (Request request : requests) {
                metrics.sent(request.sent);
                request.rejected.forEach(metrics::rejected);
            }
            return;
        }
        throw new IOException(notTaken + " event(s) of the batch not taken by the Splunk HEC ("
                + (failure == null ? "no answer" : failure.tag()) + "); the batch is written again");
    }

    /** The batch is not written by this nozzle: what its requests delivered comes again from the source. */
    synchronized void abandon() {
        settled = true;
        for (Request request : requests) {
            metrics.duplicated(request.sent);
            request.sent = 0;
        }
    }
}
