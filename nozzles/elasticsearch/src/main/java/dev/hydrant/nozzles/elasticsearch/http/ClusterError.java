package dev.hydrant.nozzles.elasticsearch.http;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Why a request to the cluster failed as a whole, in words that say what to fix; and whether sending it again
 * later can help.
 *
 * @param kind    the kind of failure, a bounded set (for "log once per kind")
 * @param message what happened and what to check
 */
public record ClusterError(Kind kind, String message) {

    /** Kinds of failure. */
    public enum Kind {
        /** 401: the credentials are wrong or missing. */
        CREDENTIALS(false),
        /** 403: the user or key may not do this. */
        FORBIDDEN(false),
        /** The TLS handshake failed: an untrusted certificate, or https against a plain port. */
        TLS(false),
        /** No answer: the connection was refused, reset or timed out, or http:// met a TLS port. */
        UNREACHABLE(true),
        /** 429 or 5xx for the whole request: the cluster is busy or unwell. */
        BUSY(true),
        /** Any other answer: the request itself was refused. */
        REFUSED(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** Sending the same again later may succeed. */
        public boolean isTransient() {
            return transientFailure;
        }
    }

    /** The failure of an answered request with this status (not 2xx) and body. */
    public static ClusterError ofStatus(int status, String body) {
        String excerpt = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return switch (status) {
            case 401 -> new ClusterError(Kind.CREDENTIALS, "the cluster refused the credentials (401): check "
                    + "hydrant.nozzle.elasticsearch.username and password, or api-key");
            case 403 -> new ClusterError(Kind.FORBIDDEN, "the credentials lack a privilege (403): " + excerpt);
            case 429, 502, 503, 504 -> new ClusterError(Kind.BUSY, "the cluster answered " + status + ": " + excerpt);
            default -> status >= 500 ? new ClusterError(Kind.BUSY, "the cluster answered " + status + ": " + excerpt)
                    : new ClusterError(Kind.REFUSED, "the cluster answered " + status + ": " + excerpt);
        };
    }

    /** The failure of a request that got no answer. */
    public static ClusterError of(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof CompletionException || cause instanceof ExecutionException)) {
            cause = cause.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new ClusterError(Kind.TLS, "the TLS handshake failed (" + t.getMessage() + "): the cluster's "
                        + "certificate must chain to hydrant.nozzle.elasticsearch.ca-file (or the JDK's trust) and be "
                        + "valid for the url's host; an http:// url must not point at a TLS port");
            }
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return new ClusterError(Kind.UNREACHABLE, "cannot connect (" + (t.getMessage() == null
                        ? t.getClass().getSimpleName() : t.getMessage()) + "): is the url's host and port right, the cluster up?");
            }
            if (t instanceof HttpTimeoutException) {
                return new ClusterError(Kind.UNREACHABLE, "no answer in time (" + t.getMessage() + ")");
            }
        }
        return new ClusterError(Kind.UNREACHABLE, "no answer (" + cause + "); an https:// cluster needs an https:// url");
    }
}
