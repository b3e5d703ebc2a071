package dev.hydrant.nozzles.splunk.hec;

import java.time.Duration;

/**
 * What the HEC answered one request: the HTTP status and the body's {@code {"text":..., "code":...}}.
 *
 * @param status             HTTP status
 * @param code               HEC's status code, -1 when the body had none
 * @param text               HEC's status text, or the start of a body that was not HEC's
 * @param ackId              the acknowledgement id, -1 without one
 * @param invalidEventNumber the index of the first event HEC refused in a batch, -1 when not given
 * @param retryAfter         the {@code Retry-After} header in seconds, or null
 */
public record HecAnswer(int status, int code, String text, long ackId, int invalidEventNumber, Duration retryAfter) {

    public boolean accepted() {
        return status / 100 == 2;
    }

    /** The HEC refuses the token (missing, invalid or disabled): no request will pass until it is fixed. */
    public boolean tokenRefused() {
        return status == 401 || status == 403;
    }

    /** Worth the same request again later: the server is busy or failing, or asks to slow down. */
    public boolean retryable() {
        return status == 429 || status / 100 == 5;
    }

    /** HEC's "Incorrect index" (code 7): the index does not exist or the token may not write to it. */
    public boolean incorrectIndex() {
        return status == 400 && code == 7;
    }

    /** As it goes in a log line: {@code HTTP 403 "Invalid token" (code 4)}. */
    public String describe() {
        return "HTTP " + status + (text.isEmpty() ? "" : " \"" + text + "\"") + (code >= 0 ? " (code " + code + ")" : "");
    }
}
