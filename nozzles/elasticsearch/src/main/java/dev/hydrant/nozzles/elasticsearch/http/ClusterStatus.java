package dev.hydrant.nozzles.elasticsearch.http;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nozzle last heard from the cluster, for the health indicator and the log: a failure is logged once
 * when it begins (ERROR if only an operator can fix it, WARN if it may pass), not again while the same kind
 * goes on, and the recovery once (INFO).
 */
public final class ClusterStatus {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterStatus.class);

    private final String cluster;
    private volatile ClusterError failing;

    /** @param cluster the cluster's address without credentials, for log lines */
    public ClusterStatus(String cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** A request failed as a whole while doing {@code what} ("sending a bulk request"). */
    public void failed(String what, ClusterError error) {
        failed(what, error, false);
    }

    /**
     * A request failed as a whole while doing {@code what}; {@code blocking}: nothing can be indexed until it
     * succeeds (the index template), so even a failure that may pass is an ERROR.
     */
    public synchronized void failed(String what, ClusterError error, boolean blocking) {
        ClusterError before = failing;
        failing = error;
        if (before != null && before.kind() == error.kind()) {
            return;
        }
        if (error.kind().isTransient() && !blocking) {
            LOG.warn("Elasticsearch at {}: {} failed: {}; trying again", cluster, what, error.message());
        } else {
            LOG.error("Elasticsearch at {}: {} failed: {}", cluster, what, error.message());
        }
    }

    /** A request was answered as asked. */
    public void succeeded() {
        if (failing != null) {
            synchronized (this) {
                if (failing != null) {
                    failing = null;
                    LOG.info("Elasticsearch at {} answers again", cluster);
                }
            }
        }
    }

    /** Down: the last request failed for a reason only an operator can fix (credentials, privileges, TLS, refusal). */
    public boolean refused() {
        ClusterError error = failing;
        return error != null && !error.kind().isTransient();
    }

    /** The last failure's words, or empty while requests succeed. */
    public String lastError() {
        ClusterError error = failing;
        return error == null ? "" : error.message();
    }

    public String cluster() {
        return cluster;
    }
}
