package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the HEC treats this nozzle, for the health indicator and for the log: a refusal no retry can cure
 * (the token, TLS) is one ERROR line that says what to fix, after which one request is tried every
 * {@code probeInterval} and the batches in between are dropped (with a replaying source: fail, and are
 * written again); an outage (5xx, 429, network) is one WARN
 * line when it begins and one INFO line when it ends; each kind of rejected data is logged once.
 */
public final class HecHealth {

    private static final Logger LOG = LoggerFactory.getLogger(HecHealth.class);
    private static final int MAX_KINDS_LOGGED = 64;

    /** A refusal: its kind (token or TLS) and what was logged about it. */
    public record Refusal(Rejected kind, String problem) {
    }

    private final long probeNanos;
    private final boolean replayable;
    private final Set<String> kindsLogged = ConcurrentHashMap.newKeySet();
    private volatile Refusal refusal;
    private volatile long nextProbeNanos;
    private volatile boolean failing;
    private volatile String lastError = "";

    /** @param replayable the source replays (Kafka): a request given up fails its batch, which is written again */
    public HecHealth(Duration probeInterval, boolean replayable) {
        this.probeNanos = probeInterval.toNanos();
        this.replayable = replayable;
    }

    /**
     * The refusal in force, when its next probe is not due yet: the request is dropped without being sent.
     * When the probe is due, the one caller that gets null here makes it; the others wait for the next.
     */
    synchronized Refusal refusedNow() {
        Refusal current = refusal;
        if (current == null) {
            return null;
        }
        long now = System.nanoTime();
        if (now - nextProbeNanos < 0) {
            return current;
        }
        nextProbeNanos = now + probeNanos;
        return null;
    }

    synchronized void refused(Rejected kind, String problem, String errorLine) {
        Refusal current = refusal;
        if (current == null || current.kind() != kind) {
            LOG.error(errorLine);
        }
        refusal = new Refusal(kind, problem);
        lastError = problem;
        nextProbeNanos = System.nanoTime() + probeNanos;
    }

    synchronized void accepted() {
        if (refusal != null) {
            LOG.info("The Splunk HEC accepts this nozzle's requests again");
            refusal = null;
        }
        if (failing) {
            LOG.info("The Splunk HEC is reachable again");
            failing = false;
        }
    }

    synchronized void failing(String problem, int maxAttempts) {
        lastError = problem;
        if (!failing) {
            failing = true;
            LOG.warn("The Splunk HEC failed a request ({}); retrying with backoff, {} after {} attempts", problem,
                    replayable ? "failing the batch (written again from the source)" : "dropping a request's events",
                    maxAttempts);
        }
    }

    /** Logs each kind of rejected data once (by HTTP status and HEC code), never per batch. */
    void rejectedData(HecAnswer answer, int events) {
        String kind = answer.status() + ":" + answer.code();
        if (kindsLogged.size() < MAX_KINDS_LOGGED && kindsLogged.add(kind)) {
            LOG.warn("The Splunk HEC rejected {} event(s): {}{}; counted in splunk.events.rejected, logged once per kind",
                    events, answer.describe(),
                    answer.invalidEventNumber() >= 0 ? ", first invalid event " + answer.invalidEventNumber() : "");
        }
        lastError = answer.describe();
    }

    public boolean up() {
        return refusal == null && !failing;
    }

    public Refusal refusal() {
        return refusal;
    }

    public String lastError() {
        return lastError;
    }
}
