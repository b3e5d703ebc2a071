package dev.hydrant.nozzles.splunk.hec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Splunk nozzle's meters, declared and described here (the README's table is checked against them).
 * What the SDK counts as written ({@code nozzle.written}) is, once no request is in flight or awaiting
 * acknowledgement, {@code splunk.events.sent} + {@code splunk.events.rejected} (every reason); with a
 * replaying source only {@code invalid} and {@code index} occur, and {@code splunk.events.duplicated} counts
 * what the HEC took in batch attempts that failed (see {@link BatchAttempt}). As the firehose's
 * {@link Tally}, it counts each event at once.
 */
public final class HecMetrics implements Tally {

    /**
     * Why events were not indexed, each a value of the tag {@code reason}: {@code invalid} (HEC refused them:
     * HTTP 400 other than code 7, other 4xx; or the envelope had nothing to send), {@code index} ("Incorrect
     * index", code 7), {@code token} (401 or 403), {@code tls} (no TLS connection: certificate not trusted,
     * or not TLS), {@code retries} (every attempt failed: 5xx, 429, network), {@code unacknowledged} (not
     * acknowledged in time, resends included), {@code shutdown} (the nozzle stopped while retrying or
     * awaiting acknowledgement). With a replaying source only {@code invalid} and {@code index} are counted:
     * the others fail the batch, which is written again.
     */
    public enum Rejected {
        INVALID, INDEX, TOKEN, TLS, RETRIES, UNACKNOWLEDGED, SHUTDOWN;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why an attempt failed and may be made again: {@code server} (5xx), {@code throttled} (429), {@code network}. */
    public enum Failure {
        SERVER, THROTTLED, NETWORK;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The meter names, for the README test. */
    public static final List<String> NAMES = List.of("splunk.events.sent", "splunk.requests", "splunk.bytes",
            "splunk.events.rejected", "splunk.request.failures", "splunk.acks.pending", "splunk.events.duplicated");

    private final Counter sent;
    private final Counter requests;
    private final Counter bytes;
    private final Counter duplicated;
    private final Map<Rejected, Counter> rejected = new EnumMap<>(Rejected.class);
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);

    private final MeterRegistry registry;

    public HecMetrics(MeterRegistry registry) {
        this.registry = registry;
        sent = Counter.builder("splunk.events.sent")
                .description("Events the HEC accepted (with acknowledgement: acknowledged as indexed)").register(registry);
        requests = Counter.builder("splunk.requests")
                .description("Requests (batches) the HEC accepted").register(registry);
        bytes = Counter.builder("splunk.bytes")
                .description("Bytes of the requests the HEC accepted, as sent (gzip-compressed when on)").register(registry);
        duplicated = Counter.builder("splunk.events.duplicated")
                .description("Events the HEC took in a batch that failed afterwards and is written again "
                        + "(source=kafka)").register(registry);
        for (Rejected reason : Rejected.values()) {
            rejected.put(reason, Counter.builder("splunk.events.rejected").tag("reason", reason.tag())
                    .description("Events not indexed, by reason (invalid, index, token, tls, retries, unacknowledged, "
                            + "shutdown)").register(registry));
        }
        for (Failure reason : Failure.values()) {
            failures.put(reason, Counter.builder("splunk.request.failures").tag("reason", reason.tag())
                    .description("Failed request attempts, by reason (server: 5xx, throttled: 429, network)")
                    .register(registry));
        }
    }

    /** Registers {@code splunk.acks.pending}: requests awaiting acknowledgement now (0 without acknowledgement). */
    public void acksPending(Supplier<Number> pending) {
        Gauge.builder("splunk.acks.pending", pending).description("Requests awaiting indexer acknowledgement")
                .register(registry);
    }

    /** A request the HEC accepted, of {@code requestBytes} as sent. */
    void accepted(int requestBytes) {
        requests.increment();
        bytes.increment(requestBytes);
    }

    @Override
    public void sent(int events) {
        if (events > 0) {
            sent.increment(events);
        }
    }

    /** Events the HEC took in a batch attempt that failed: the batch is written again. */
    void duplicated(int events) {
        if (events > 0) {
            duplicated.increment(events);
        }
    }

    @Override
    public void rejected(Rejected reason, int events) {
        if (events > 0) {
            rejected.get(reason).increment(events);
        }
    }

    void failed(Failure reason) {
        failures.get(reason).increment();
    }

    public long sent() {
        return (long) sent.count();
    }

    public long rejected() {
        return (long) rejected.values().stream().mapToDouble(Counter::count).sum();
    }
}
