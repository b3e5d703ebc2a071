package dev.hydrant.nozzles.syslog.drain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nozzle's meters, declared and described here (nozzles/syslog/README.md lists them). Per-drain counters
 * carry the tag {@code drain} = the binding's id (never its URL, which may hold credentials); at most
 * {@code maxLabelledDrains} drains have their own, the others share {@code drain="other"}, so the number of
 * series stays bounded however many drains are bound. A removed drain's series are removed.
 */
public final class DrainMetrics {

    /** Messages a drain accepted. */
    public static final String WRITTEN = "syslog.drain.written";
    /** Messages pushed out of a drain's full buffer. */
    public static final String DROPPED = "syslog.drain.dropped";
    /** Messages of failed writes. */
    public static final String FAILED = "syslog.drain.failed";
    /** Drains bound now. */
    public static final String BOUND = "syslog.drains.bound";
    /** Envelopes that could not be a valid RFC 5424 message for a drain, so were not sent. */
    public static final String INVALID = "syslog.messages.invalid";
    /** Failed reads of the bindings. */
    public static final String BINDINGS_ERRORS = "syslog.bindings.errors";
    /** Loss reports sent to apps' logs. */
    public static final String LOSS_REPORTS = "syslog.loss.reports";
    /** The nozzle's source id (and origin) in the firehose. */
    public static final String SOURCE_ID = "syslog_nozzle";
    /** The meters that also go into the firehose. */
    public static final List<String> EMITTED = List.of(WRITTEN, DROPPED, FAILED, BOUND, INVALID, BINDINGS_ERRORS,
            LOSS_REPORTS);
    /** The tag value shared by the drains beyond the labelled ones. */
    public static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxLabelledDrains;
    private final Map<String, DrainCounters> labelled = new HashMap<>();
    private final DrainCounters other;
    private final AtomicInteger bound = new AtomicInteger();
    private final Counter invalid;
    private final Counter bindingErrors;
    private final Counter lossReports;

    public DrainMetrics(MeterRegistry registry, int maxLabelledDrains) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.maxLabelledDrains = maxLabelledDrains;
        this.other = counters(OTHER);
        Gauge.builder(BOUND, bound, AtomicInteger::get).description("drains bound now").register(registry);
        this.invalid = Counter.builder(INVALID)
                .description("envelopes not sent to a drain because they cannot be a valid RFC 5424 message")
                .register(registry);
        this.bindingErrors = Counter.builder(BINDINGS_ERRORS).description("failed reads of the bindings").register(registry);
        this.lossReports = Counter.builder(LOSS_REPORTS).description("loss reports sent to apps' own logs").register(registry);
    }

    /** The counters of a newly bound drain: its own while fewer than the cap have theirs, else the shared ones. */
    public synchronized DrainCounters bind(String bindingId) {
        bound.incrementAndGet();
        if (labelled.size() >= maxLabelledDrains) {
            return other;
        }
        return labelled.computeIfAbsent(bindingId, this::counters);
    }

    /** The drain is gone: its own series go too. */
    public synchronized void unbind(String bindingId) {
        bound.decrementAndGet();
        DrainCounters gone = labelled.remove(bindingId);
        if (gone != null) {
            registry.remove(gone.written());
            registry.remove(gone.dropped());
            registry.remove(gone.failed());
        }
    }

    public Counter invalid() {
        return invalid;
    }

    public Counter bindingErrors() {
        return bindingErrors;
    }

    public Counter lossReports() {
        return lossReports;
    }

    private DrainCounters counters(String drain) {
        return new DrainCounters(
                Counter.builder(WRITTEN).tag("drain", drain).description("messages the drain accepted").register(registry),
                Counter.builder(DROPPED).tag("drain", drain).description("messages pushed out of the drain's full buffer")
                        .register(registry),
                Counter.builder(FAILED).tag("drain", drain).description("messages of writes to the drain that failed")
                        .register(registry));
    }
}
