package dev.hydrant.nozzle.client;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/**
 * The Traffic Controller refused a request, or a stream failed in a way the client reports.
 * HTTP refusals carry the status and the {@code error}/{@code message} of the JSON error body
 * (docs/wire.md section 5) when there is one. A {@linkplain #permanent() permanent} one says what to fix
 * (a refused token, a certificate not trusted, {@code http://} against a TLS port): retrying alone will
 * not help.
 */
public final class HydrantClientException extends RuntimeException {

    private final int status;
    private final String error;
    private final boolean retryable;
    private final boolean authRefused;
    private final boolean permanent;

    HydrantClientException(String message, int status, String error, boolean retryable, boolean authRefused) {
        this(message, status, error, retryable, authRefused, false, null);
    }

    HydrantClientException(String message, int status, String error, boolean retryable, boolean authRefused,
                           boolean permanent, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.retryable = retryable;
        this.authRefused = authRefused;
        this.permanent = permanent;
    }

    /** A problem only the operator can fix, described by {@code problem}; caused by {@code cause}. */
    static HydrantClientException permanent(String problem, Throwable cause) {
        int status = cause instanceof HydrantClientException refusal ? refusal.status() : 0;
        String error = cause instanceof HydrantClientException refusal ? refusal.error() : "";
        return new HydrantClientException(problem, status, error, false, false, true, cause);
    }

    /**
     * From an HTTP answer other than 200. 401 and 404 (no, bad or insufficient token) count as
     * auth refusals: retried with a fresh token. 400 and the other 4xx are not retried; 5xx are.
     */
    static HydrantClientException http(String what, int status, String body) {
        String error = "";
        String message = "";
        if (body != null && body.trim().startsWith("{")) {
            try {
                Struct.Builder json = Struct.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(body, json);
                error = text(json.getFieldsMap().get("error"));
                message = text(json.getFieldsMap().get("message"));
            } catch (Exception notJson) {
                // the body is informative only: keep the status
            }
        }
        boolean auth = status == 401 || status == 404;
        boolean retryable = auth || status >= 500 || status == 429 || status == 408;
        String text = what + " answered " + status + (error.isEmpty() ? "" : " " + error)
                + (message.isEmpty() ? "" : ": " + message);
        return new HydrantClientException(text, status, error, retryable, auth);
    }

    private static String text(Value value) {
        return value == null ? "" : value.getStringValue();
    }

    /** The HTTP status, or 0 when the failure was not an HTTP answer. */
    public int status() {
        return status;
    }

    /** The {@code error} field of a JSON error body (e.g. {@code not_found}), or empty. */
    public String error() {
        return error;
    }

    /** Whether reconnecting may help. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the token was refused, so that a fresh one may help. */
    public boolean authRefused() {
        return authRefused;
    }

    /**
     * Whether only the operator can fix this (token, certificate, address): the message says what to fix.
     * A stream keeps retrying such a failure at its longest backoff, or ends with it when it fails fast.
     */
    public boolean permanent() {
        return permanent;
    }
}
