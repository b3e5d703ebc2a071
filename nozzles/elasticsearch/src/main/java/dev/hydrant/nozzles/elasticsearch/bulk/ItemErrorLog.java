package dev.hydrant.nozzles.elasticsearch.bulk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each kind of item error once (its {@code error.type}, with the first reason seen), never per document:
 * the counters say how many. At most {@link #KINDS} kinds are remembered, so a cluster inventing types cannot
 * grow it.
 */
final class ItemErrorLog {

    private static final Logger LOG = LoggerFactory.getLogger(ItemErrorLog.class);
    static final int KINDS = 64;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    void rejected(String type, int status, String reason, RejectReason counted) {
        if (seen.size() < KINDS && seen.add(type)) {
            LOG.error("Elasticsearch refused a document: {} {} ({}); counted in elasticsearch.documents.rejected"
                    + " with reason={}, logged once per kind", status, type, reason, counted.label());
        }
    }

    void gaveUp(int documents, String why) {
        if (seen.size() < KINDS && seen.add("gave-up:" + why)) {
            LOG.error("Gave up {} documents after every resend ({}); counted in elasticsearch.documents.failed, "
                    + "logged once per kind", documents, why);
        }
    }
}
