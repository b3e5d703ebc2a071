package dev.hydrant.nozzles.elasticsearch.bulk;

/** Nothing of a batch got through: the SDK retries the whole batch with its backoff, then drops and counts it. */
public final class ClusterUnavailableException extends Exception {

    public ClusterUnavailableException(String message) {
        super(message, null, false, false);
    }
}
