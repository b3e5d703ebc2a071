package dev.hydrant.nozzle.client;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/**
 * The Traffic Controller refused a request, or a stream failed in a way the client reports.
 * HTTP refusals carry the status and the {@code error}/{@code message} of the JSON error body
 * (docs/wire.md section 5) when there is one.
 */
public final class HydrantClientException extends RuntimeException {

    private final int status;
    private final String error;
    private final boolean retryable;
    private final boolean authRefused;

    HydrantClientException(String message, int status, String error, boolean retryable, boolean authRefused) {
        super(message);
        this.status = status;
        this.error = error;
        this.retryable = retryable;
        this.authRefused = authRefused;
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
}
